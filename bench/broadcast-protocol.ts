// The jobs of the broadcast part (bench/broadcast.ts): what a broadcast runner measures, what the
// clients process it starts does, and what each reports.
import type { AgentName } from '../src/domain/index.js';
import type { SimCommand } from './protocol.js';
import type { SessionPlace } from './session-protocol.js';

/** raw: the sim → the line framer → JSON.parse → a bare batched WebSocket server; pipeline: a real session and its dashboard server. */
export type BroadcastPath = 'raw' | 'pipeline';
/** throughput: the sim prints as fast as it can; latency: it is paced. */
export type BroadcastKind = 'throughput' | 'latency';

/** One run, in a runner process of its own (passed as JSON in argv). */
export interface BroadcastJob {
  path: BroadcastPath;
  kind: BroadcastKind;
  vendor: AgentName;
  /** Assistant messages the sim prints, each stamped with its write time. */
  count: number;
  /** The sim's scenario; the pipeline's session configures every agent with it. */
  scenarioFile: string;
  /** The raw path's child: the sim as the vendor's adapter starts it. */
  command: SimCommand;
  /** Where the pipeline's session runs: a git repository, and a workspace of this run alone. */
  place: SessionPlace;
  /** WebSocket clients, all in one clients process. */
  clients: number;
  /** Latency: only messages numbered above this (the steady second half) are counted. */
  steadyFrom: number;
  /** A scratch directory of this run (stderr logs). */
  workDir: string;
  /** The coordinator's temporary directory: removed by a runner left without its coordinator. */
  scratchDir: string;
  maxLineBytes: number;
  /** Bound of the agent's run, from its start to its last message handed to the server. */
  timeoutMs: number;
}

/** Percentiles of write → receipt, ms, over every client and every steady message. */
export interface LatencySummary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** What one broadcast run measured. */
export interface BroadcastResult {
  /** The sim's stamps (monotonic ms) on its first and last message. */
  firstStampMs: number;
  lastStampMs: number;
  /** When the last client had every event up to the last message (monotonic ms). */
  lastReceiptMs: number;
  /** process.cpuUsage() of the runner (the server side) from the agent's start until then, µs. */
  cpuUs: number;
  /** Per client (median over the clients): bytes and WebSocket messages received. */
  bytesPerClient: number;
  messagesPerClient: number;
  /** Times a client fell behind and was re-served from the store (the dashboard's /metrics); undefined for raw. */
  resyncs?: number;
  latency?: LatencySummary;
  /** Latency runs: the median time from a steady message's write to its hand-off to the batcher, ms. */
  toHubP50Ms?: number;
}

export type BroadcastMessage =
  | { type: 'broadcast'; result: BroadcastResult }
  | { type: 'group'; pgid: number }
  | { type: 'ungroup'; pgid: number }
  | { type: 'failed'; message: string };

/** What the clients process is asked (its first IPC message). */
export interface ClientsJob {
  /** ws://127.0.0.1:<port>/ws */
  url: string;
  /** Upgrade headers: the dashboard's Origin and Authorization: Bearer token. */
  headers: Record<string, string>;
  clients: number;
  /** Keep every batch received (latency runs), to read the stamps in it after the run. */
  keepBatches: boolean;
  steadyFrom: number;
  /** Stamped messages above steadyFrom each client must see (latency runs). */
  steadyCount: number;
}

/** The runner → the clients process. */
export type ClientsCommand = { type: 'connect'; job: ClientsJob } | { type: 'await'; seq: number; timeoutMs: number } | { type: 'close' };

/** What the clients received, up to the awaited seq. */
export interface ClientsReport {
  /** Per client, when (monotonic ms) the batch that completed the awaited seq arrived. */
  receiptMs: number[];
  bytes: number[];
  messages: number[];
  latency?: LatencySummary;
}

/** The clients process → the runner. */
export type ClientsMessage = { type: 'ready' } | { type: 'received'; report: ClientsReport } | { type: 'failed'; message: string };
