import { createDefaultPlan, type LogBody, type LogEntry } from '../../src/domain/index.js';
import type { ControlRequest, InspectionRecord, SessionDigest, StateValue, WorkerDigest } from '../../src/protocol/index.js';
import type { SessionSource } from '../../src/ws-server/index.js';
import { machineDefinitions } from '../../src/runtime/dashboard/machine-definitions.js';

/** A session played from a script: an in-memory log, a digest kept by hand, and inspection records. */
export type ScriptedSession = ReturnType<typeof createScriptedSession>;

const SESSION_ACTOR = 'x:0';

// A fake session source the test drives step by step. Control commands are recorded and answered
// the way the real session would: a worker asked to pause reports its own state change through
// inspection, so the dashboard shows what the machine did, never what was clicked.
export function createScriptedSession(options: { sessionId?: string; task?: string; startedAt?: number } = {}) {
  const sessionId = options.sessionId ?? 's-demo';
  const task = options.task ?? 'Add a friendly greeting to the README and a test for it';
  const startedAt = options.startedAt ?? Date.now() - 4 * 60_000 - 12_000;
  const plan = createDefaultPlan();
  const entries: LogEntry[] = [];
  const listeners = new Set<(entry: LogEntry) => void>();
  const inspectors = new Set<(record: InspectionRecord) => void>();
  const controls: ControlRequest[] = [];
  const workers = new Map<string, WorkerDigest & { actorId: string; value: StateValue }>();
  const digest: Omit<SessionDigest, 'workers' | 'actors'> = {
    status: 'active',
    value: 'preparing',
    paused: false,
    tier: null,
    tierPath: [],
    available: [],
    unavailable: {},
    phases: plan.phases.map((phase) => ({ phaseId: phase.id, status: 'pending', workerIds: [] })),
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
  let nextActor = 1;

  const append = (workerId: string, body: LogBody): LogEntry => {
    const entry = { ...body, sessionId, workerId, seq: entries.length + 1, ts: Date.now() } as LogEntry;
    entries.push(entry);
    for (const listener of listeners) listener(entry);
    return entry;
  };
  const inspect = (record: Omit<InspectionRecord, 'atSeq'>) => {
    for (const inspector of inspectors) inspector({ ...record, atSeq: entries.length } as InspectionRecord);
  };
  const setWorkerState = (workerId: string, value: StateValue, cause: string, from?: string) => {
    const worker = workers.get(workerId)!;
    const path = typeof value === 'string' ? value : `live.${String((value as { live: string }).live)}`;
    const target = `worker.${path}`;
    worker.value = value;
    worker.state = path;
    inspect({ kind: 'received', actorId: worker.actorId, sourceId: SESSION_ACTOR, event: { type: cause } } as never);
    inspect({ kind: 'snapshot', actorId: worker.actorId, event: cause, status: 'active', value, transitions: from ? [{ source: `worker.${from}`, targets: [target] }] : [] } as never);
  };

  const source: SessionSource = {
    sessionId,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastCommittedSeq: () => entries.length,
    readEvents: ({ fromSeq, toSeq, limit }) => entries.slice(fromSeq - 1, Math.min(toSeq, fromSeq - 1 + (limit ?? Infinity))),
    info: () => ({ sessionId, task, target: 'demo-repo', branch: `orchestrate/${sessionId}`, agents: ['gemini', 'claude', 'codex'], startedAt, state: 'running' }),
    digest: () => ({
      ...digest,
      tierPath: [...digest.tierPath],
      workers: [...workers.values()].map(({ actorId: _a, value: _v, ...worker }) => ({ ...worker })),
      actors: [
        { actorId: SESSION_ACTOR, id: 'session', parentId: null, machine: 'session', status: 'active', value: digest.value },
        ...[...workers.values()].map((w) => ({ actorId: w.actorId, id: w.workerId, parentId: SESSION_ACTOR, machine: 'worker', status: 'active' as const, value: w.value })),
      ],
    }),
    machines: machineDefinitions,
    subscribeInspection(listener) {
      inspectors.add(listener);
      return () => inspectors.delete(listener);
    },
    control(request) {
      controls.push(request);
      if (request.type === 'worker.pause' || request.type === 'worker.resume') {
        const worker = workers.get(request.workerId);
        if (!worker || worker.outcome) return { ok: false, code: 'UNKNOWN_WORKER' };
        // The session acts a moment later, as the real one does after the ack.
        setTimeout(() => {
          append('session', { type: 'control.received', command: { type: 'worker.control', workerId: request.workerId, command: request.type } });
          if (request.type === 'worker.pause') setWorkerState(request.workerId, { live: 'paused' }, 'worker.pause', 'live.running');
          else setWorkerState(request.workerId, { live: 'running' }, 'worker.resume', 'live.paused');
        }, 30);
        return { ok: true };
      }
      return request.type.startsWith('session.') ? { ok: true } : { ok: false, code: 'UNSUPPORTED' };
    },
    notes: (kind) => (kind === 'decisions' ? [{ id: 1, seq: 2, body: { decision: 'start with all three agents', reason: 'every enabled agent answered' } }] : []),
    summary: () => null,
  };

  return {
    source,
    controls,
    entries,
    /** The session starts: probes, the tier, the first phase's worker (state live.starting). */
    start() {
      append('session', { type: 'session.started', task, target: 'demo-repo', branch: `orchestrate/${sessionId}`, agents: ['gemini', 'claude', 'codex'], input: { sessionId, task, plan, agents: ['gemini', 'claude', 'codex'], workers: { cwd: '.', extraDirs: [], models: {}, idleTimeoutMs: 60_000, wallTimeoutMs: 600_000 } } });
      digest.value = { active: { flow: 'working', staffing: 'trio', control: 'running' } };
      digest.available = ['gemini', 'claude', 'codex'];
      inspect({ kind: 'actor', actorId: SESSION_ACTOR, id: 'session', parentId: null, machine: 'session' } as never);
      this.changeTier(null, 'trio', 'every enabled agent answered');
      this.startPhase('design', 'gemini');
    },
    changeTier(from: string | null, to: string, reason: string) {
      digest.tierPath.push({ from, to, reason });
      digest.tier = to;
      append('session', { type: 'session.tierChanged', from: from as never, to: to as never, reason });
    },
    startPhase(phaseId: string, agent: 'gemini' | 'claude' | 'codex') {
      const workerId = `worker:${phaseId}`;
      const actorId = `x:${nextActor++}`;
      workers.set(workerId, { workerId, phaseId, agent, state: 'live.starting', actorId, value: { live: 'starting' }, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
      const phase = digest.phases.find((p) => p.phaseId === phaseId)!;
      Object.assign(phase, { status: 'running', workerIds: [...phase.workerIds, workerId] });
      inspect({ kind: 'actor', actorId, id: workerId, parentId: SESSION_ACTOR, machine: 'worker' } as never);
      inspect({ kind: 'actor', actorId: `x:${nextActor++}`, id: 'process', parentId: actorId, machine: null } as never);
      inspect({ kind: 'snapshot', actorId, event: 'xstate.init', status: 'active', value: { live: 'starting' }, transitions: [] } as never);
      append(workerId, { type: 'phase.started', phaseId, agent });
      return workerId;
    },
    /** The agent reports that it started: the worker goes live.starting → live.running. */
    agentStarted(workerId: string, model: string) {
      append(workerId, { type: 'agent.started', model, vendorSessionId: 'v-1' });
      setWorkerState(workerId, { live: 'running' }, 'agent.started', 'live.starting');
    },
    /** Some work: a message streamed in deltas, a command and its output, usage. */
    work(workerId: string, round: number) {
      append(workerId, { type: 'agent.message', text: `Reading the repository layout (round ${round})… `, delta: true });
      append(workerId, { type: 'agent.message', text: 'the README has no greeting yet.', delta: true });
      append(workerId, { type: 'agent.toolCall', tool: 'run_shell_command', kind: 'shell', command: 'ls -la && cat README.md' });
      append(workerId, { type: 'agent.toolResult', ok: true, output: 'README.md\npackage.json\nsrc/' });
      append(workerId, { type: 'agent.usage', inputTokens: 1800 * round, outputTokens: 420 * round, costUsd: 0.012 * round, total: true });
      const worker = workers.get(workerId)!;
      digest.usage = { inputTokens: 1800 * round, outputTokens: 420 * round, costUsd: 0.012 * round };
      worker.usage = { ...digest.usage };
    },
    /** The agent finishes: result, exit, the worker machine settles, the session records the phase. */
    finishPhase(workerId: string, summary: string) {
      const worker = workers.get(workerId)!;
      append(workerId, { type: 'agent.result', success: true, summary });
      append(workerId, { type: 'agent.exited', exitCode: 0, signal: null });
      setWorkerState(workerId, 'done', 'agent.exited', 'live.running');
      worker.outcome = { status: 'done', summary };
      worker.state = 'done';
      digest.phases.find((p) => p.phaseId === worker.phaseId)!.status = 'done';
      append(workerId, { type: 'phase.finished', phaseId: worker.phaseId, agent: worker.agent, outcome: { status: 'done', summary } });
    },
    /** The agent asks to run something the policy sends to a person. */
    askApproval(workerId: string, command: string) {
      append(workerId, { type: 'agent.approvalRequest', callId: 'call-7', tool: 'Bash', command });
    },
    /** Many plain events at once, to fill the event log. */
    flood(workerId: string, count: number) {
      for (let i = 0; i < count; i += 1) append(workerId, { type: 'agent.message', text: `line ${i}`, delta: false });
    },
  };
}
