import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/adapters/git/index.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import { isGroupAlive } from '../../src/adapters/process/process-groups.js';
import { replaySession } from '../../src/runtime/replay.js';
import { checkIntegrity, openDatabase } from '../../src/store/database.js';
import { readEvents } from '../../src/store/event-reader.js';
import { createSessionStore } from '../../src/store/session-store.js';
import { expectNoLeftovers, listDescendants, waitUntil } from '../support/processes.js';
import { SIM } from '../support/sim-session.js';

const CLI = resolve('dist/cli/main.js');
const ROUNDS = 20;

interface Round {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The highest seq the orchestrator printed: it prints only what is committed. */
  printedSeq: number;
  sessionId?: string;
}

// Runs the CLI with --json and SIGKILLs it `killAfterMs` after it starts (or after its first event,
// with `afterFirstEvent`), unless it ends first.
function runAndKill(args: string[], killAfterMs: number | undefined, afterFirstEvent = false): Promise<Round> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let printedSeq = 0;
    let sessionId: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs));
    if (killAfterMs !== undefined && !afterFirstEvent) arm();
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const entry = JSON.parse(line) as { seq?: number; sessionId?: string };
        if (entry.seq !== undefined) printedSeq = Math.max(printedSeq, entry.seq);
        sessionId ??= entry.sessionId;
      }
      if (killAfterMs !== undefined && afterFirstEvent && printedSeq > 0) arm();
    });
    child.stderr.resume();
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('an orchestrator run took longer than 60 s'));
    }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(limit);
      resolvePromise({ code, signal, printedSeq, sessionId });
    });
  });
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// A repository whose three agents are the simulated agent running `steps`.
async function makeTarget(steps: object[]): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-crash-'));
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const scenario = join(dir, 'scenario.json');
  await writeFile(scenario, JSON.stringify({ steps }));
  const agents = Object.fromEntries(
    ['claude', 'codex', 'gemini'].map((agent) => [agent, { command: [process.execPath, SIM, '--vendor', agent, '--scenario', scenario, '--'] }]),
  );
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents, timeouts: { idleSeconds: 20, stopGraceSeconds: 1 }, policy: { sandbox: 'off' } }));
  return target;
}

describe('orchestrate resume after kill -9', () => {
  it(`loses no event, duplicates none and completes after being killed ${ROUNDS} times at random moments`, { timeout: 240_000 }, async () => {
    // Each agent run takes longer than the orchestrator lives, so all the kills land mid-session.
    const target = await makeTarget([{ events: { count: 400, intervalMs: 5 } }, { write: { path: 'progress.txt', content: 'done\n' } }, { say: 'finished' }]);

    const dbPath = join(target, '.orchestrate', 'orchestrate.db');
    const committedAfter: { printed: number; stored: number }[] = [];
    let sessionId: string | undefined;
    let finished: Round | undefined;
    for (let round = 0; round < ROUNDS && !finished; round++) {
      const killAfterMs = 200 + Math.floor(Math.random() * 1300);
      const args = round === 0 ? ['run', 'count to four hundred', '--target', target] : ['resume', sessionId!, '--target', target];
      // Half the kills land at any moment of a start-up, half once the session runs again.
      const result = await runAndKill(args, killAfterMs, round % 2 === 0);
      sessionId ??= result.sessionId;
      expect(sessionId).toBeDefined();
      if (result.signal === null) {
        finished = result;
        break;
      }
      const db = openDatabase(dbPath, { readonly: true });
      committedAfter.push({ printed: result.printedSeq, stored: readEvents(db, sessionId!).at(-1)?.seq ?? 0 });
      db.close();
    }
    expect(finished).toBeUndefined();
    expect(committedAfter).toHaveLength(ROUNDS);
    finished = await runAndKill(['resume', sessionId!, '--target', target], undefined);
    expect(finished.code).toBe(0);

    // Everything printed (acknowledged) before a kill was in the database after it.
    for (const { printed, stored } of committedAfter) expect(stored).toBeGreaterThanOrEqual(printed);
    const db = openDatabase(dbPath, { readonly: true });
    try {
      expect(checkIntegrity(db, 'full')).toEqual([]);
      const events = readEvents(db, sessionId!);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, index) => index + 1));
      // One restore per resume that got as far as restoring (a kill can land before that), plus the last.
      const restored = events.filter((e) => e.type === 'session.restored');
      expect(restored.length).toBeGreaterThanOrEqual(ROUNDS / 2);
      expect(restored.length).toBeLessThanOrEqual(ROUNDS + 1);
      const end = events.at(-1)!;
      expect(end).toMatchObject({ type: 'session.finished', status: 'completed' });
      const store = createSessionStore(db);
      expect(store.getSession(sessionId!)?.state).toBe('completed');
      // Finished phases are not redone: each phase ends done exactly once.
      const phaseEnds = events.filter((e) => e.type === 'phase.finished' && (e as { outcome: { status: string } }).outcome.status === 'done');
      expect(phaseEnds.map((e) => (e as { phaseId: string }).phaseId)).toEqual(['design', 'implement', 'validate']);
      // The replay goes through the same restores and reaches the same end.
      const replay = await replaySession(events, { speed: 0 });
      expect(replay.fingerprint).toEqual(replay.recorded);
      const groups = events.flatMap((e) => (e.type === 'process.spawned' ? [e.pgid] : []));
      await expectNoLeftovers(groups, 5_000);
    } finally {
      db.close();
    }
  });

  it('reaps the agents a killed orchestrator left running and resumes their own conversations', { timeout: 60_000 }, async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    const target = await makeTarget([{ say: 'working' }, { hang: true }]);
    const child = spawn(process.execPath, [CLI, 'run', 'hang', '--target', target, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await waitUntil(() => text.includes('"type":"agent.message"'), 20_000, 'the agent to speak');
    const pgid = Number(/"type":"process.spawned".*?"pgid":(\d+)/.exec(text)![1]);
    // Printed only once committed, and recorded with its worker before that.
    const vendorSessionId = /"type":"agent.started","vendorSessionId":"([^"]+)"/.exec(text)![1];
    const sessionId = /"sessionId":"([^"]+)"/.exec(text)![1]!;
    // Kill the orchestrator and its watchdog together, so nothing cleans up after it.
    const watchdog = listDescendants(child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('watchdog-main'));
    expect(watchdog).toBeDefined();
    process.kill(watchdog!, 'SIGKILL');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(isGroupAlive(pgid)).toBe(true);

    const resumed = spawn(process.execPath, [CLI, 'resume', sessionId, '--target', target, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let resumedText = '';
    resumed.stdout.on('data', (chunk: Buffer) => (resumedText += chunk.toString()));
    await waitUntil(() => resumedText.includes('"type":"session.restored"'), 20_000, 'the restore');
    expect(resumedText).toMatch(new RegExp(`"type":"session.restored".*"reaped":\\[${pgid}\\]`));
    expect(isGroupAlive(pgid)).toBe(false);
    // The interrupted worker relaunched its agent with the vendor's resume: the same conversation.
    await waitUntil(() => resumedText.includes('"type":"agent.started"'), 20_000, 'the relaunched agent');
    expect(/"type":"agent.started","vendorSessionId":"([^"]+)"/.exec(resumedText)![1]).toBe(vendorSessionId);
    const groups = [...resumedText.matchAll(/"type":"process.spawned".*?"pgid":(\d+)/g)].map((m) => Number(m[1]));
    resumed.kill('SIGINT');
    await new Promise((resolve) => resumed.on('close', resolve));
    await expectNoLeftovers([pgid, ...groups], 5_000);
  });
});
