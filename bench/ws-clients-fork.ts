// The broadcast runner's side of the clients process (bench/ws-clients.ts): forks it, waits until
// every client has subscribed, asks when everything up to a seq has arrived, and closes it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientsCommand, ClientsJob, ClientsMessage, ClientsReport } from './broadcast-protocol.js';
import { withTimeout } from './run-context.js';

const CLIENTS_SCRIPT = fileURLToPath(new URL('./ws-clients.js', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

export interface ClientsProcess {
  /** Resolves with what every client received once each has every seq up to `seq`. */
  receivedThrough(seq: number, timeoutMs: number): Promise<ClientsReport>;
  close(): void;
}

// Forks the clients (in the runner's process group, so a kill of the runner's group ends them too)
// and resolves once every one of them has subscribed.
export async function startClients(job: ClientsJob): Promise<ClientsProcess> {
  const child: ChildProcess = fork(CLIENTS_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let failure: string | undefined;
  const waiters = new Set<(message: ClientsMessage | undefined) => void>();
  child.on('message', (message: ClientsMessage) => {
    if (message.type === 'failed') failure ??= message.message;
    for (const wake of waiters) wake(message);
  });
  child.on('exit', (code, signal) => {
    failure ??= `the clients process exited with ${code ?? signal}`;
    for (const wake of waiters) wake(undefined);
  });
  // The next message of `type`; rejects on a failure report or the clients' exit.
  const next = <T extends ClientsMessage['type']>(type: T) =>
    new Promise<Extract<ClientsMessage, { type: T }>>((resolve, reject) => {
      const wake = (message: ClientsMessage | undefined) => {
        if (message?.type === type) {
          waiters.delete(wake);
          resolve(message as Extract<ClientsMessage, { type: T }>);
        } else if (failure !== undefined) {
          waiters.delete(wake);
          reject(new Error(`clients: ${failure}`));
        }
      };
      waiters.add(wake);
    });
  const command = (message: ClientsCommand) => child.send(message);
  const close = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) command({ type: 'close' });
    setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
  };
  // Over IPC rather than argv: the upgrade headers carry the token.
  command({ type: 'connect', job });
  try {
    await withTimeout(next('ready'), READY_TIMEOUT_MS, 'the clients subscribing', close);
  } catch (error) {
    close();
    throw error;
  }
  return {
    async receivedThrough(seq, timeoutMs) {
      const received = next('received');
      command({ type: 'await', seq, timeoutMs });
      // The clients bound their own wait; this bound covers a clients process that hangs.
      return (await withTimeout(received, timeoutMs + 5_000, 'the clients', close)).report;
    },
    close,
  };
}
