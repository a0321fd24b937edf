import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDefaultPlan, type LogEntry, type Plan } from '../../src/domain/index.js';
import { replaySession } from '../../src/runtime/replay.js';
import { singlePhasePlan, startSimSession, type SimSession } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

/** Reviews would run other agents on the same scenarios; these tests are about the channel alone. */
const NO_REVIEWS = { enabled: false };

const ofType = <T extends LogEntry['type']>(entries: readonly LogEntry[], type: T) =>
  entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);

// The worker id each phase ran under, from the session's own log.
function workerOf(entries: readonly LogEntry[], phaseId: string): string {
  const started = ofType(entries, 'phase.started').find((e) => e.phaseId === phaseId);
  if (!started) throw new Error(`phase ${phaseId} never started`);
  return started.workerId;
}

// Design by Claude, then implementation by Codex: two workers, one after the other, on one worktree.
function twoPhasePlan(): Plan {
  const [design, implement] = createDefaultPlan().phases;
  return { phases: [{ ...design!, preferredAgent: 'claude' }, { ...implement!, preferredAgent: 'codex' }] };
}

describe('the agent channel in a session on simulated agents', () => {
  it('turns a report made through the MCP tool into that worker’s event, and replays to the same end', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      review: NO_REVIEWS,
      scenarios: { claude: { steps: [{ mcp: { tool: 'report_milestone', arguments: { summary: 'parser done' } } }, { say: 'all done' }] } },
    });
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    const stored = current.storedEvents();
    const worker = workerOf(stored, 'implement');
    const milestones = ofType(stored, 'agent.milestone');
    expect(milestones.map(({ workerId, text, via }) => ({ workerId, text, via }))).toEqual([{ workerId: worker, text: 'parser done', via: 'mcp' }]);
    expect(ofType(stored, 'agent.toolCall').map((e) => [e.kind, e.tool])).toEqual([['mcp', 'mcp__orchestrate__report_milestone']]);
    expect(ofType(stored, 'channel.refused')).toEqual([]);
    // The report reached the worker machine, which recorded it as activity; a replay feeds it back in place.
    const replay = await replaySession(stored, { speed: 0 });
    expect(replay.fingerprint).toEqual(replay.recorded);
  });

  it('marks a report made with the text marker as such', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('gemini'),
      agents: ['gemini'],
      review: NO_REVIEWS,
      scenarios: { gemini: { steps: [{ marker: { kind: 'blocker', text: 'no database' } }, { say: 'done' }] } },
    });
    await current.session.done;
    const stored = current.storedEvents();
    expect(ofType(stored, 'agent.blocker').map(({ workerId, text, via }) => ({ workerId, text, via }))).toEqual([
      { workerId: workerOf(stored, 'implement'), text: 'no database', via: 'marker' },
    ]);
  });

  it('refuses a worker reporting with another worker’s secret or a made-up one, records why, and never credits the other worker', async () => {
    current = await startSimSession({
      plan: twoPhasePlan(),
      agents: ['claude', 'codex'],
      review: NO_REVIEWS,
      scenarios: {
        claude: { steps: [{ saveSecret: { path: '.design-secret' } }, { mcp: { tool: 'report_milestone', arguments: { summary: 'design done' } } }] },
        codex: {
          steps: [
            { mcp: { tool: 'report_milestone', arguments: { summary: 'posing as the designer' }, secretFile: '.design-secret' } },
            { mcp: { tool: 'report_blocker', arguments: { problem: 'forged' }, secret: '0'.repeat(64) } },
            { say: 'done' },
          ],
        },
      },
    });
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    const stored = current.storedEvents();
    const designer = workerOf(stored, 'design');
    const implementer = workerOf(stored, 'implement');
    expect(ofType(stored, 'channel.refused').map(({ workerId, reason, channel }) => ({ workerId, reason, channel }))).toEqual([
      { workerId: 'session', reason: 'wrongWorker', channel: implementer },
      { workerId: 'session', reason: 'unknownSecret', channel: implementer },
    ]);
    const reports = [...ofType(stored, 'agent.milestone'), ...ofType(stored, 'agent.blocker')];
    expect(reports.map(({ workerId, text }) => ({ workerId, text }))).toEqual([{ workerId: designer, text: 'design done' }]);
    // The impostor's calls failed as tool errors, and no secret reached the log.
    const impostorResults = ofType(stored, 'agent.toolResult').filter((e) => e.workerId === implementer);
    expect(impostorResults.map((e) => e.ok)).toEqual([false, false]);
    const secret = (await readFile(join(current.session.worktree, '.design-secret'), 'utf8')).trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const replay = await replaySession(stored, { speed: 0 });
    expect(replay.fingerprint).toEqual(replay.recorded);
  });
});
