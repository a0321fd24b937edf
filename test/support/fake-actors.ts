import { fromCallback, fromPromise } from 'xstate';
import type { AgentEventBody, AgentName, ReviewerResult } from '../../src/domain/index.js';
import type { AgentProbe, AgentProcessCommand, AgentProcessInput, Checkpoint, ReviewCallInput, ReviewDiff, ReviewDiffInput } from '../../src/machines/slots.js';

/**
 * How a fake agent behaves: events it reports, then an exit (after `later`'s events, when given);
 * or it runs until told to stop.
 */
export type FakeScript = { events: AgentEventBody[]; exitCode: number; later?: { afterMs: number; events: AgentEventBody[] } } | { runUntilStopped: true };

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

// A fake agent process driven by a script per agent; records the commands it receives, and the inputs it started with.
export function createFakeAgentProcess(scripts: Partial<Record<AgentName, FakeScript>>, log: string[] = [], inputs: AgentProcessInput[] = []) {
  return fromCallback<AgentProcessCommand, AgentProcessInput>(({ input, sendBack, receive }) => {
    let seq = 0;
    const stamp = (body: AgentEventBody) => ({ ...body, sessionId: input.sessionId, workerId: input.workerId, seq: seq++, ts: 0 });
    const script = scripts[input.agent] ?? succeed();
    log.push(`${input.workerId}:${input.agent}:start`);
    inputs.push(input);
    const timers: NodeJS.Timeout[] = [];
    const exit = (exitCode: number | null, signal: string | null) =>
      sendBack(stamp({ type: 'agent.exited', exitCode, signal }));
    if ('events' in script) {
      const { later } = script;
      timers.push(
        setTimeout(() => {
          for (const event of script.events) sendBack(stamp(event));
          if (!later) exit(script.exitCode, null);
        }, 1),
      );
      if (later) {
        timers.push(
          setTimeout(() => {
            for (const event of later.events) sendBack(stamp(event));
            exit(script.exitCode, null);
          }, later.afterMs),
        );
      }
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

/** What a fake reviewer answers: a result, after a delay. */
export type FakeReviewer = { result: ReviewerResult; afterMs?: number };

// A fake reviewer call answering per agent (an approval by default); records each input.
export function createFakeReviewCall(reviewers: Partial<Record<AgentName, FakeReviewer | FakeReviewer[]>>, inputs: ReviewCallInput[] = []) {
  const calls = new Map<AgentName, number>();
  return fromPromise<ReviewerResult, ReviewCallInput>(async ({ input }) => {
    inputs.push(input);
    const n = calls.get(input.agent) ?? 0;
    calls.set(input.agent, n + 1);
    const scripted = reviewers[input.agent];
    const answer = Array.isArray(scripted) ? (scripted[n] ?? scripted.at(-1)) : scripted;
    if (answer?.afterMs) await new Promise((resolve) => setTimeout(resolve, answer.afterMs));
    return answer?.result ?? { status: 'answered', agent: input.agent, answer: { verdict: 'approve', findings: [], summary: 'fine' } };
  });
}

export function createFakeReviewDiff(diff: ReviewDiff = { text: 'diff --git a/a.txt b/a.txt', truncated: false, files: [{ path: 'a.txt', added: 1, deleted: 0 }] }, inputs: ReviewDiffInput[] = []) {
  return fromPromise<ReviewDiff, ReviewDiffInput>(async ({ input }) => {
    inputs.push(input);
    return diff;
  });
}
