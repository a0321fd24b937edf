import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readProcessStartTime } from './process-groups.js';

/**
 * A separate process that kills the registered agent groups once our end of its stdin closes,
 * which the kernel does even when we are SIGKILLed. No in-process handler can promise that.
 */
export interface Watchdog {
  readonly pid: number;
  /** Registers a group to kill if we die; call it right after the spawn. */
  add(pgid: number): void;
  /** Forgets a group, once its leader has exited. */
  remove(pgid: number): void;
  /** Ends the watchdog; by default it first kills the groups still registered. Idempotent. */
  close(options?: { killRemaining?: boolean }): Promise<void>;
}

/** Where the watchdog script is and how it behaves. */
export interface WatchdogOptions {
  /** Defaults to the compiled watchdog-main.js next to this module (dist/adapters/process/). */
  scriptPath?: string;
  /** Defaults to the node binary running us. */
  execPath?: string;
  /** Time between SIGTERM and SIGKILL for the registered groups. Default 1500 ms. */
  graceMs?: number;
  /** Default 5000 ms. */
  readyTimeoutMs?: number;
}

// Starts the watchdog and resolves once it has installed its signal handlers. Rejects (a
// configuration fault) when the script cannot be run. The watchdog never keeps our event loop alive.
export async function startWatchdog(options: WatchdogOptions = {}): Promise<Watchdog> {
  const script = options.scriptPath ?? fileURLToPath(new URL('./watchdog-main.js', import.meta.url));
  const graceMs = options.graceMs ?? 1_500;
  const child = spawn(options.execPath ?? process.execPath, [script, String(graceMs)], {
    // Its own session and group: a Ctrl-C or a group kill aimed at us does not reach it.
    detached: true,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Errors after the start (a failed kill of an already dead watchdog) are not ours to report.
  child.on('error', () => {});
  await waitForReady(child, options.readyTimeoutMs ?? 5_000);
  child.stdout?.destroy();
  const stdin = child.stdin as Socket;
  // A write after the watchdog died fails with EPIPE; the next close() finds it gone anyway.
  stdin.on('error', () => {});
  stdin.unref();
  child.unref();

  const send = (line: string): void => {
    if (!stdin.writableEnded && !stdin.destroyed) stdin.write(`${line}\n`);
  };
  let closing: Promise<void> | undefined;
  const close = async (killRemaining: boolean): Promise<void> => {
    if (!killRemaining) send('exit');
    // Keep the event loop alive until the watchdog is done, so `await close()` really waits.
    child.ref();
    stdin.end();
    const limit = setTimeout(() => child.kill('SIGKILL'), graceMs + 5_000);
    await exited;
    clearTimeout(limit);
  };
  return {
    pid: child.pid ?? 0,
    add: (pgid) => send(`add ${pgid} ${readProcessStartTime(pgid) ?? 0}`),
    remove: (pgid) => send(`remove ${pgid}`),
    close: (closeOptions) => (closing ??= close(closeOptions?.killRemaining ?? true)),
  };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const settle = (failure?: string): void => {
      clearTimeout(timer);
      child.off('error', onError).off('exit', onExit);
      child.stdout?.off('data', onData);
      if (failure === undefined) return resolve();
      child.kill('SIGKILL');
      reject(new Error(`watchdog did not start: ${failure}`));
    };
    const onError = (error: Error): void => settle(error.message);
    const onExit = (code: number | null, signal: string | null): void => settle(`it exited with ${signal ?? `code ${code}`}`);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('ready\n')) settle();
    };
    const timer = setTimeout(() => settle(`no ready signal within ${timeoutMs} ms`), timeoutMs);
    child.on('error', onError).on('exit', onExit);
    child.stdout?.on('data', onData);
  });
}
