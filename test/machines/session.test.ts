import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { createDefaultPlan, type AgentName } from '../../src/domain/index.js';
import { provideSessionActors, type AgentProbe, type AgentProcessInput, type SessionInput } from '../../src/machines/index.js';
import { deriveSessionEvents } from '../../src/runtime/session-events.js';
import { createFakeAgentProcess, createFakeCheckpoint, createFakeProbe, fail, type FakeScript } from '../support/fake-actors.js';

const input = (agents: AgentName[] = ['claude', 'codex', 'gemini']): SessionInput => ({
  sessionId: 's1',
  task: 'add a greeting',
  plan: createDefaultPlan(),
  agents,
  workers: { cwd: '/tmp/x', extraDirs: [], models: {}, idleTimeoutMs: 1000, wallTimeoutMs: 60_000 },
});

function runSession(options: {
  scripts?: Partial<Record<AgentName, FakeScript>>;
  available?: Partial<Record<AgentName, boolean>>;
  agents?: AgentName[];
}) {
  const log: string[] = [];
  const machine = provideSessionActors({
    agentProcess: createFakeAgentProcess(options.scripts ?? {}, log),
    probeAgents: createFakeProbe(options.available ?? {}),
    commitCheckpoint: createFakeCheckpoint(),
  });
  const actor = createActor(machine, { input: input(options.agents) });
  actor.start();
  return { actor, log };
}

describe('sessionMachine', () => {
  it('runs every phase with its preferred agent on the trio tier and completes', async () => {
    const { actor, log } = runSession({});
    const output = await toPromise(actor);
    expect(output.status).toBe('completed');
    const context = actor.getSnapshot().context;
    expect(context.phases.map((p) => [p.phaseId, p.status, p.attempts[0]!.agent])).toEqual([
      ['design', 'done', 'gemini'],
      ['implement', 'done', 'claude'],
      ['validate', 'done', 'codex'],
    ]);
    expect(context.tierPath.map((t) => t.to)).toEqual(['trio']);
    expect(log.filter((l) => l.endsWith(':start'))).toEqual([
      'worker:design:gemini:start',
      'worker:implement:claude:start',
      'worker:validate:codex:start',
    ]);
  });

  it('starts on a lower tier when an agent is missing and moves its role', async () => {
    const { actor } = runSession({ available: { gemini: false } });
    await toPromise(actor);
    const context = actor.getSnapshot().context;
    expect(context.tierPath.map((t) => t.to)).toEqual(['claude-codex']);
    expect(context.phases[0]!.attempts[0]).toMatchObject({ agent: 'claude', reassignedFrom: 'gemini' });
  });

  it('drops a tier when an agent fails authentication and gives its phase to the next agent', async () => {
    const { actor } = runSession({ scripts: { gemini: fail('AGENT_NOT_AUTHENTICATED', 'Please set an Auth method') } });
    const output = await toPromise(actor);
    expect(output.status).toBe('completed');
    const context = actor.getSnapshot().context;
    expect(context.tierPath.map((t) => t.to)).toEqual(['trio', 'claude-codex']);
    expect(context.tierPath[1]!.reason).toContain('AGENT_NOT_AUTHENTICATED');
    expect(context.phases[0]!.attempts.map((a) => [a.agent, a.outcome?.status])).toEqual([
      ['gemini', 'failed'],
      ['claude', 'done'],
    ]);
    expect(context.unavailable.gemini).toContain('Please set an Auth method');
  });

  it('fails with every reason when no agent is available', async () => {
    const { actor } = runSession({ available: { claude: false, codex: false, gemini: false } });
    const output = await toPromise(actor);
    expect(output.status).toBe('failed');
    expect(output.reason).toMatch(/Claude Code: not installed.*Codex CLI: not installed.*Gemini CLI: not installed/);
  });

  it('fails when the last agent fails', async () => {
    const { actor } = runSession({ agents: ['claude'], scripts: { claude: fail('AGENT_CRASHED', 'boom') } });
    const output = await toPromise(actor);
    expect(output.status).toBe('failed');
    expect(actor.getSnapshot().context.tierPath.map((t) => t.to)).toEqual(['solo-claude', 'none']);
  });

  it('launches an agent its probe let run without its sandbox as unsandboxed, and says so once', async () => {
    const inputs: AgentProcessInput[] = [];
    const machine = provideSessionActors({
      agentProcess: createFakeAgentProcess({}, [], inputs),
      probeAgents: fromPromise<AgentProbe[], { agents: AgentName[] }>(async () => [
        { agent: 'claude', available: true, version: '1.0' },
        { agent: 'gemini', available: true, version: '1.0', unsandboxed: 'Gemini CLI cannot run in its sandbox here' },
      ]),
      commitCheckpoint: createFakeCheckpoint(),
    });
    const actor = createActor(machine, { input: input(['claude', 'gemini']) });
    const derived: string[] = [];
    let previous: ReturnType<typeof actor.getSnapshot>['context'] | undefined;
    actor.subscribe((snapshot) => {
      for (const { body } of deriveSessionEvents(previous, snapshot.context)) if (body.type === 'sandbox.off') derived.push(body.agent);
      previous = snapshot.context;
    });
    actor.start();
    await toPromise(actor);
    expect(inputs.map((i) => [i.agent, i.unsandboxed === true])).toEqual([['gemini', true], ['claude', false], ['claude', false]]);
    expect(derived).toEqual(['gemini']);
  });

  it('pauses and resumes the running worker, then stops the session', async () => {
    const { actor, log } = runSession({ scripts: { gemini: { runUntilStopped: true } } });
    await waitFor(() => actor.getSnapshot().matches({ active: { flow: 'working' } }));
    actor.send({ type: 'session.pause' });
    expect(actor.getSnapshot().matches({ active: { control: 'paused' } })).toBe(true);
    await waitFor(() => log.includes('worker:design:process.pause'));
    actor.send({ type: 'session.resume' });
    actor.send({ type: 'session.stop' });
    const output = await toPromise(actor);
    expect(output.status).toBe('stopped');
    expect(log).toEqual(expect.arrayContaining(['worker:design:process.pause', 'worker:design:process.resume', 'worker:design:process.stop']));
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
