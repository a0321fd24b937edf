import { fromCallback, fromPromise } from 'xstate';
import type { AgentEventBody, AgentName } from '../../src/domain/index.js';
import type { AgentProbe, AgentProcessCommand, AgentProcessInput, Checkpoint } from '../../src/machines/slots.js';

/** How a fake agent behaves: events it reports, then an exit; or it runs until told to stop. */
export type FakeScript = { events: AgentEventBody[]; exitCode: number } | { runUntilStopped: true };

export const succeed = (summary = 'did it'): FakeScript => ({
  events: [
    { type: 'agent.started', vendorSessionId: 'vendor-1' },
    { type: 'agent.result', success: true, summary },
  ],
  exitCode: 0,
});

export const fail = (code: 'AGENT_NOT_AUTHENTICATED' | 'AGENT_CRASHED', message: string): FakeScript => ({
  events: [
    { type: 'agent.started' },
    { type: 'agent.error', code, message },
    { type: 'agent.result', success: false, summary: '' },
  ],
  exitCode: 1,
});

// A fake agent process driven by a script per agent; records the commands it receives.
export function createFakeAgentProcess(scripts: Partial<Record<AgentName, FakeScript>>, log: string[] = []) {
  return fromCallback<AgentProcessCommand, AgentProcessInput>(({ input, sendBack, receive }) => {
    let seq = 0;
    const stamp = (body: AgentEventBody) => ({ ...body, sessionId: input.sessionId, workerId: input.workerId, seq: seq++, ts: 0 });
    const script = scripts[input.agent] ?? succeed();
    log.push(`${input.workerId}:${input.agent}:start`);
    const timers: NodeJS.Timeout[] = [];
    const exit = (exitCode: number | null, signal: string | null) =>
      sendBack(stamp({ type: 'agent.exited', exitCode, signal }));
    if ('events' in script) {
      timers.push(
        setTimeout(() => {
          for (const event of script.events) sendBack(stamp(event));
          exit(script.exitCode, null);
        }, 1),
      );
    } else {
      timers.push(setTimeout(() => sendBack(stamp({ type: 'agent.started' })), 1));
    }
    receive((command) => {
      log.push(`${input.workerId}:${command.type}`);
      if (command.type === 'process.stop') setTimeout(() => exit(null, 'SIGTERM'), 1);
    });
    return () => timers.forEach(clearTimeout);
  });
}

export function createFakeProbe(available: Partial<Record<AgentName, boolean>>) {
  return fromPromise<AgentProbe[], { agents: AgentName[] }>(async ({ input }) =>
    input.agents.map((agent) =>
      available[agent] === false ? { agent, available: false, reason: 'not installed' } : { agent, available: true, version: '1.0' },
    ),
  );
}

export function createFakeCheckpoint(files: string[] = ['a.txt']) {
  return fromPromise<Checkpoint, { sessionId: string; phaseId: string; message: string }>(async () => ({
    sha: 'abc123',
    changed: files.length > 0,
    files,
  }));
}
