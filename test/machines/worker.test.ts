import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, setup, toPromise } from 'xstate';
import type { AgentEventBody } from '../../src/domain/index.js';
import type { AgentProcessCommand, AgentProcessInput } from '../../src/machines/slots.js';
import { workerMachine, type WorkerFinished, type WorkerInput } from '../../src/machines/worker.js';

const input = (wallTimeoutMs = 60_000): WorkerInput => ({
  phaseId: 'implement',
  role: 'implementer',
  wallTimeoutMs,
  launch: { sessionId: 's', workerId: 'worker:implement', agent: 'claude', prompt: 'p', cwd: '/tmp', extraDirs: [], idleTimeoutMs: 50 },
});

// A process that reports `events` at once, then `idle` after a pause, and exits only when stopped.
function scriptedProcess(events: AgentEventBody[], options: { idle?: boolean } = {}, commands: string[] = []) {
  return fromCallback<AgentProcessCommand, AgentProcessInput>(({ sendBack, receive }) => {
    let seq = 0;
    const send = (body: AgentEventBody) => sendBack({ ...body, sessionId: 's', workerId: 'worker:implement', seq: seq++, ts: 0 });
    const timer = setTimeout(() => {
      events.forEach(send);
      if (options.idle) sendBack({ type: 'process.idle', idleMs: 50 });
    }, 1);
    receive((command) => {
      commands.push(command.type);
      if (command.type === 'process.stop') setTimeout(() => send({ type: 'agent.exited', exitCode: null, signal: 'SIGTERM' }), 1);
    });
    return () => clearTimeout(timer);
  });
}

// Runs a worker under a parent that records what the worker tells it.
async function runWorker(process: ReturnType<typeof scriptedProcess>, workerInput = input()) {
  const finished: WorkerFinished[] = [];
  const parent = setup({
    actors: { worker: workerMachine.provide({ actors: { agentProcess: process } }) },
  }).createMachine({
    initial: 'run',
    states: {
      run: {
        invoke: {
          id: 'w',
          src: 'worker',
          input: workerInput,
          onDone: { target: 'end', actions: ({ event }) => finished.push(event.output as WorkerFinished) },
        },
      },
      end: { type: 'final' },
    },
  });
  const actor = createActor(parent).start();
  await toPromise(actor);
  return finished;
}

describe('workerMachine', () => {
  it('finishes done when the agent reports a successful result', async () => {
    const [finished] = await runWorker(
      scriptedProcess([
        { type: 'agent.started', vendorSessionId: 'abc' },
        { type: 'agent.result', success: true, summary: 'ok' },
        { type: 'agent.exited', exitCode: 0, signal: null },
      ]),
    );
    expect(finished).toMatchObject({ outcome: { status: 'done', summary: 'ok' }, vendorSessionId: 'abc', agent: 'claude' });
  });

  it('fails with the last classified error when the result is unsuccessful', async () => {
    const [finished] = await runWorker(
      scriptedProcess([
        { type: 'agent.started' },
        { type: 'agent.error', code: 'AGENT_NOT_AUTHENTICATED', message: 'Not logged in' },
        { type: 'agent.result', success: false, summary: '' },
        { type: 'agent.exited', exitCode: 1, signal: null },
      ]),
    );
    expect(finished?.outcome).toMatchObject({ status: 'failed', failure: { code: 'AGENT_NOT_AUTHENTICATED' } });
  });

  it('fails as crashed when the agent exits without a result', async () => {
    const [finished] = await runWorker(scriptedProcess([{ type: 'agent.exited', exitCode: 3, signal: null }]));
    expect(finished?.outcome.failure).toEqual({ code: 'AGENT_CRASHED', message: 'the agent exited with code 3 without a result' });
  });

  it('stops a stalled agent and fails with AGENT_STALLED', async () => {
    const commands: string[] = [];
    const [finished] = await runWorker(scriptedProcess([{ type: 'agent.started' }], { idle: true }, commands));
    expect(commands).toEqual(['process.stop']);
    expect(finished?.outcome.failure?.code).toBe('AGENT_STALLED');
  });

  it('reports a network error rather than a stall when the agent kept retrying', async () => {
    const [finished] = await runWorker(
      scriptedProcess([{ type: 'agent.started' }, { type: 'agent.error', code: 'AGENT_NETWORK', message: 'Reconnecting... 1/5' }], { idle: true }),
    );
    expect(finished?.outcome.failure?.code).toBe('AGENT_NETWORK');
  });

  it('stops the agent at the wall-clock deadline', async () => {
    const [finished] = await runWorker(scriptedProcess([{ type: 'agent.started' }]), input(30));
    expect(finished?.outcome.failure?.code).toBe('AGENT_TIMED_OUT');
  });
});

