// Optional compatibility with Stately's inspector: forwards the session's actor-system inspection
// to a Stately WebSocket relay with @statelyai/inspect, an optional peer dependency that is loaded
// only when asked for, so orchestrate runs without it.
import type { AnyActorRef } from 'xstate';
import { WebSocket } from 'ws';
import { OrchestrateError } from './errors.js';

type StatelyInspectModule = typeof import('@statelyai/inspect');
type StatelyInspector = ReturnType<StatelyInspectModule['createWebSocketInspector']>;

/** Where `createInspectorServer` from `@statelyai/inspect/server` listens by default. */
export const DEFAULT_STATELY_INSPECTOR_URL = 'ws://localhost:8080';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const PROBE_TIMEOUT_MS = 3_000;
/** Events kept while the inspector's socket connects: the actor registrations come first and must not be dropped. */
const MAX_EVENTS_BEFORE_CONNECTED = 2_000;

/** A running forward to Stately's inspector. */
export interface StatelyInspection {
  /** Detaches from the actor system and closes the socket, after the last queued events went out. */
  close(): Promise<void>;
}

/** Attaches the inspector to a session's root actor, before the session starts. */
export type AttachStatelyInspector = (root: AnyActorRef) => StatelyInspection;

export interface StatelyInspectorOptions {
  /** A ws: or wss: URL, checked with checkInspectorUrl. */
  url: string;
  /** Where the person hears about costs, exposure and failures (stderr). */
  warn: (text: string) => void;
  /** Loads @statelyai/inspect; tests replace it to act out a missing package. */
  loadModule?: () => Promise<StatelyInspectModule>;
  probeTimeoutMs?: number;
}

// The URL as given, when it is one a WebSocket client can open; the reason otherwise.
export function checkInspectorUrl(text: string): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `"${text}" is not a URL (e.g. ${DEFAULT_STATELY_INSPECTOR_URL})` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, reason: `the inspector URL must start with ws:// or wss://, not ${url.protocol}//` };
  return { ok: true, url: text };
}

// True when the URL names this machine: then the session's events never leave it.
export function isLoopbackUrl(text: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(text).hostname);
}

// Loads the optional package; its absence is a configuration error with the way to fix it.
export async function loadStatelyInspect(load: () => Promise<StatelyInspectModule> = () => import('@statelyai/inspect')): Promise<StatelyInspectModule> {
  try {
    return await load();
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes("'@statelyai/inspect'");
    const install = 'install it next to orchestrate with `npm install @statelyai/inspect` (add -g when orchestrate is installed globally)';
    throw new OrchestrateError(
      missing
        ? `--inspect-stately needs the optional package @statelyai/inspect, which is not installed: ${install}`
        : `--inspect-stately could not load @statelyai/inspect (${error instanceof Error ? error.message : String(error)}): reinstall it; ${install}`,
      'usage',
      { cause: error },
    );
  }
}

// Whether a WebSocket server answers at the URL: undefined when one does, why not otherwise. The
// inspector's own client retries a failed connection every 5 s forever, even after it is stopped,
// which would keep orchestrate from exiting: so it is only created once something answers.
export function probeInspector(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    let settled = false;
    const settle = (failure: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      resolve(failure);
    };
    const timer = setTimeout(() => settle(`no answer in ${timeoutMs} ms`), timeoutMs);
    socket.on('open', () => settle(undefined));
    // Also swallows the error terminate() raises on a socket still connecting.
    socket.on('error', (error) => settle(error.message));
  });
}

// Actors that exist before the inspector is attached (the root, its initial and restored
// children) were announced at creation, unseen: announce them again, parents first, as the
// registrations XState would have sent, so the package describes them as it does live ones.
function announceExistingActors(inspector: StatelyInspector, actor: AnyActorRef, rootId: string): void {
  inspector.inspect.next?.({ type: '@xstate.actor', actorRef: actor, rootId });
  const { children } = actor.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> };
  for (const child of Object.values(children ?? {})) if (child) announceExistingActors(inspector, child, rootId);
}

// Warns about what the inspector costs and exposes, loads the package and checks that something
// answers at the URL. Resolves to the way to attach it, or to undefined when nothing answers: the
// session then runs without it. A missing package throws (exit code 2) before any session exists.
export async function prepareStatelyInspector(options: StatelyInspectorOptions): Promise<AttachStatelyInspector | undefined> {
  const { url, warn } = options;
  const module = await loadStatelyInspect(options.loadModule);
  warn(
    `stately inspector: forwarding this session's actor events to ${url}. The Stately visualizer is the hosted page ` +
      'https://stately.ai/inspect: it needs the internet and cannot run offline. It costs throughput: every event is deep-copied and serialized.',
  );
  if (!isLoopbackUrl(url)) {
    const plain = new URL(url).protocol === 'ws:' ? ', unencrypted' : '';
    warn(`stately inspector: ${new URL(url).host} is not this machine: the session's task, prompts, agent output and states leave this machine${plain}`);
  }
  const failure = await probeInspector(url, options.probeTimeoutMs);
  if (failure !== undefined) {
    warn(`stately inspector: nothing answers at ${url} (${failure}; start the relay first, see "The dashboard" in the README); the session runs without it`);
    return undefined;
  }
  return (root) => {
    const inspector = module.createWebSocketInspector({ url, maxDeferredEvents: MAX_EVENTS_BEFORE_CONNECTED });
    announceExistingActors(inspector, root, root.sessionId);
    // A second observer of the system: the dashboard's own inspection is untouched.
    const subscription = root.system.inspect(inspector.inspect);
    return {
      async close() {
        subscription.unsubscribe();
        // The package converts each event in a setTimeout(0) of its own: let those already queued go out.
        await new Promise((resolve) => setTimeout(resolve, 0));
        inspector.stop();
      },
    };
  };
}
