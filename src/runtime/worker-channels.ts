import type { WorkerChannels } from '../actors/channel-launch.js';
import { createAgentChannel } from '../adapters/mcp/channel.js';
import type { ReportKind } from '../domain/index.js';
import type { EventLog } from '../store/event-log.js';

/** The session's agent channel: the actors open and close workers' channels; the session disposes of it at its end. */
export interface SessionChannels extends WorkerChannels {
  dispose(): Promise<void>;
}

type ReportHandler = (kind: ReportKind, text: string) => void;

// One agent channel for a session. Each report goes to the actor of the worker whose secret it carried;
// each refusal is recorded as a session event, without the secret.
export function createSessionChannels(log: EventLog, serverScript?: string): SessionChannels {
  const handlers = new Map<string, ReportHandler>();
  const channel = createAgentChannel({
    serverScript,
    onReport: ({ workerId, kind, text }) => handlers.get(workerId)?.(kind, text),
    onRefused: ({ workerId, reason }) => log.append('session', { type: 'channel.refused', reason, channel: workerId }),
  });
  return {
    open(workerId, onReport) {
      const registration = channel.register(workerId);
      handlers.set(workerId, onReport);
      const close = () => {
        if (handlers.get(workerId) === onReport) handlers.delete(workerId);
        registration.revoke();
      };
      return { mcp: registration.mcp, close };
    },
    dispose: () => channel.close(),
  };
}
