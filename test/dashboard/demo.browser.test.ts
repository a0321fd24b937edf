import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { initRepository } from '../../src/adapters/git/index.js';
import { readProcessStat } from '../../src/adapters/process/process-groups.js';
import { DEMO_TASK } from '../../src/cli/commands/demo.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import type { LogEntry } from '../../src/domain/index.js';
import { expectNoLeftovers, listDescendants, waitUntil } from '../support/processes.js';
import { SIM } from '../support/sim-session.js';
import { browserTest, createProblemLog, launchChromium, missingChromium } from './browsers.js';

/*
 * The real CLI's dashboard in a real Chromium: `orchestrate demo` watched to its end, and
 * `orchestrate run` on slowed-down simulated agents paused, resumed and stopped from the page, with
 * the agents' processes checked in /proc. Needs `npm run build` (dist/ and dashboard/dist).
 */

const CLI = resolve('dist/cli/main.js');
const WAIT_MS = 10_000;
/** Laying a chart out with ELK the first time takes a while on a busy machine. */
const CHART_WAIT_MS = 15_000;
const DASHBOARD_LINE = /dashboard: (http:\/\/\S+)/;
const CTRL_C = '\x03';

let browser: Browser | undefined;
let page: Page;
let problems: string[] = [];
let dir: string;
let cli: RunningCli | undefined;

const test = browserTest(missingChromium);
const card = (workerId: string) => page.locator(`[data-worker-id="${workerId}"]`);
const workerState = (workerId: string) => card(workerId).getByTestId('worker-state');
const node = (id: string) => page.locator(`svg[data-testid=statechart] g.state[data-node-id="${id}"]`);
const sessionControls = () => page.getByRole('group', { name: 'Session controls' });
// Waits, bounded, until a locator shows the text.
const shows = (locator: Locator, text: string | RegExp, timeout = WAIT_MS) => locator.filter({ hasText: text }).first().waitFor({ timeout });
// Waits, bounded, until the drawn chart lights state `id`, then checks that `unlit` is dark.
async function lit(id: string, unlit: string, timeout = WAIT_MS): Promise<void> {
  await node(id).and(page.locator('[data-active="true"]')).waitFor({ timeout });
  expect(await node(unlit).getAttribute('data-active')).toBeNull();
}

/** The CLI under test, and what it printed. */
interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

// Starts a process and collects its output. Stdin stays open: a terminal's keys are written to it.
function startCli(file: string, args: string[]): RunningCli {
  const child = spawn(file, args, { stdio: 'pipe' });
  const running: RunningCli = { child, stdout: '', stderr: '', exited: new Promise((done) => child.on('close', done)) };
  child.stdout.on('data', (chunk: Buffer) => (running.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (running.stderr += chunk.toString()));
  cli = running;
  return running;
}

// The dashboard URL with its token, as the CLI printed it for the person at the terminal.
async function dashboardUrl(running: RunningCli): Promise<string> {
  const printed = () => DASHBOARD_LINE.exec(running.stderr) ?? DASHBOARD_LINE.exec(running.stdout);
  await waitUntil(() => printed() !== null, 15_000, 'the dashboard URL');
  return printed()![1]!;
}

// Opens the dashboard the way a person does: the token URL, which sets the cookie and redirects to a URL without it.
async function openDashboard(running: RunningCli): Promise<void> {
  const url = new URL(await dashboardUrl(running));
  await page.goto(url.href, { timeout: WAIT_MS });
  expect(page.url()).toBe(`${url.origin}/`);
}

// Resolves with the promise's value, or fails after `ms`.
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A command line for `script -c`, every word quoted for the shell. `exec` makes the command the
// terminal's own process: a shell such as dash would otherwise stay in between, and Ctrl-C would
// kill it (exit 130) whatever the command does with the signal.
function shellLine(words: string[]): string {
  return `exec ${words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ')}`;
}

// The events `orchestrate run --json` printed, one JSON object a line (the last is the summary).
function printedEvents(running: RunningCli): LogEntry[] {
  return running.stdout
    .split('\n')
    .filter((line) => line.startsWith('{"'))
    .map((line) => JSON.parse(line) as LogEntry);
}

// The agent process a worker started, once the CLI has printed it.
function spawnedAgent(running: RunningCli, workerId: string): { pid: number; pgid: number } | undefined {
  return printedEvents(running).find((e) => e.type === 'process.spawned' && e.workerId === workerId) as { pid: number; pgid: number } | undefined;
}

// A target repository whose three simulated agents each print an event every 10 ms for a minute,
// so a worker is still running while the page pauses, resumes and stops it.
async function writeSlowTarget(): Promise<string> {
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const scenario = join(dir, 'scenario.json');
  await writeFile(scenario, JSON.stringify({ steps: [{ events: { count: 6000, intervalMs: 10 } }] }));
  const agents = Object.fromEntries(['claude', 'codex', 'gemini'].map((agent) => [agent, { command: [process.execPath, SIM, '--vendor', agent, '--scenario', scenario, '--'] }]));
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents, policy: { sandbox: 'off' } }));
  return target;
}

const processState = (pid: number) => readProcessStat(pid)?.state;
const isRunning = (pid: number) => ['R', 'S', 'D'].includes(processState(pid) ?? '');

// Kills a process and everything it started, so a failing test leaves nothing behind.
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const each of [...listDescendants(pid), pid]) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

beforeAll(async () => {
  if (missingChromium) return;
  browser = await launchChromium();
}, 40_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-demo-browser-'));
  if (!browser) return;
  page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  page.setDefaultTimeout(WAIT_MS);
  const log = createProblemLog();
  page.on('pageerror', log.onPageError);
  page.on('console', log.onConsole);
  problems = log.problems;
});

afterEach(async () => {
  killTree(cli?.child.pid);
  cli = undefined;
  await page?.close();
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('the dashboard of the real CLI in Chromium', () => {
  test(
    'shows `orchestrate demo` to its end: the failed Gemini, the tier drop, every phase done, the session completed',
    async () => {
      // Watched from a terminal (a pseudo-terminal from util-linux's `script`), the demo keeps its
      // dashboard up after the session until Ctrl-C, so the page can show how it ended.
      const demo = startCli('script', ['-qfec', shellLine([process.execPath, CLI, 'demo', '--port', '0', '--dir', join(dir, 'demo')]), '/dev/null']);
      await openDashboard(demo);
      await shows(page.locator('h1.task'), DEMO_TASK);
      await shows(workerState('worker:design'), 'failed');
      await shows(card('worker:design:2'), 'instead of Gemini CLI');
      // The last phase is seen running, then done: the page follows the session live.
      await shows(workerState('worker:validate'), 'running');
      await shows(workerState('worker:validate'), 'done');
      await shows(page.getByTestId('session-state'), 'completed');
      for (const workerId of ['worker:design:2', 'worker:implement', 'worker:implement:2', 'worker:validate']) expect(await workerState(workerId).textContent()).toBe('done');
      // Five agent runs (the revision included) and five reviewer runs, each with a card of its own.
      expect(await page.locator('[data-worker-id^="worker:"]').count()).toBe(5);
      expect(await page.locator('.worker-card.reviewer').count()).toBe(5);
      await shows(page.getByTestId('stat-phases'), '3 of 3 done');
      await shows(page.getByTestId('stat-tier'), 'Claude + Codex');
      await shows(page.locator('.tier-path'), /trio\s*claude-codex/);
      expect(await page.getByTestId('stat-tokens').textContent()).toBe('15.8k in · 1.5k out');
      // Codex asked for a change to the implementation; the decision and the review say so.
      await shows(page.getByTestId('notes-decisions'), 'review:3: revise (changes requested)');
      await shows(page.getByTestId('notes-reviews'), 'review:3 · implement · agent.request: codex request_changes');
      await page.getByTestId('notes-reviews').locator('summary', { hasText: 'review:3' }).click();
      await shows(page.getByTestId('notes-reviews').locator('.findings'), 'No test for a name that is not a string');
      await shows(page.getByTestId('notes-reviews').locator('pre.diff'), 'diff --git a/src/farewell.js b/src/farewell.js');
      expect(problems).toEqual([]);

      // The page may show the end before the CLI has finished writing the session down: Ctrl-C
      // once the terminal says the dashboard stays open.
      await waitUntil(() => demo.stdout.includes('until you press Ctrl-C'), WAIT_MS, 'the terminal to say the dashboard stays open');
      demo.child.stdin.write(CTRL_C);
      expect(await within(demo.exited, WAIT_MS, 'the demo to leave after Ctrl-C')).toBe(0);
      await shows(page.getByTestId('connection'), /Reconnecting|Offline/);
    },
    45_000,
  );

  test(
    'pauses and resumes a worker of `orchestrate run` and its agent process from its card, lights its statechart, and stops the session',
    async () => {
      const target = await writeSlowTarget();
      const run = startCli(process.execPath, [CLI, 'run', 'count', '--target', target, '--json', '--port', '0']);
      await openDashboard(run);
      await shows(workerState('worker:design'), 'running', 15_000);
      await waitUntil(() => spawnedAgent(run, 'worker:design') !== undefined, WAIT_MS, 'the agent to be spawned', 50);
      const { pid } = spawnedAgent(run, 'worker:design')!;
      const worker = card('worker:design');

      await worker.getByTestId('worker-pause').click();
      await waitUntil(() => processState(pid) === 'T', WAIT_MS, 'the agent to be stopped (SIGSTOP)');
      await shows(workerState('worker:design'), 'paused');
      expect(await worker.getByTestId('worker-pause').isDisabled()).toBe(true);
      await worker.getByTestId('worker-resume').click();
      await waitUntil(() => isRunning(pid), WAIT_MS, 'the agent to run again');
      await shows(workerState('worker:design'), 'running');

      // The chart is lit from the machine's own state changes; the header's pause reaches the
      // worker through the session machine, and the page never leaves the chart.
      await worker.getByTestId('worker-chart').click();
      await lit('worker.live.running', 'worker.live.paused', CHART_WAIT_MS);
      await page.getByTestId('session-pause').click();
      await lit('worker.live.paused', 'worker.live.running');
      await waitUntil(() => processState(pid) === 'T', WAIT_MS, 'the agent to be stopped by the session pause');
      await shows(page.getByTestId('session-state'), 'paused');
      await page.getByTestId('session-resume').click();
      await lit('worker.live.running', 'worker.live.paused');
      await waitUntil(() => isRunning(pid), WAIT_MS, 'the agent to run again after the session resumed');
      expect(problems).toEqual([]);

      // Stop cannot be undone: the first press only arms it (the button turns into Confirm stop).
      await sessionControls().getByRole('button', { name: 'Stop', exact: true }).click();
      await sessionControls().getByRole('button', { name: 'Confirm stop' }).click();
      expect(await within(run.exited, 15_000, 'the CLI to exit after the stop')).toBe(130);
      const commands = printedEvents(run).flatMap((e) => (e.type === 'control.received' ? [e.command] : []));
      expect(commands).toEqual([
        { type: 'worker.control', workerId: 'worker:design', command: 'worker.pause' },
        { type: 'worker.control', workerId: 'worker:design', command: 'worker.resume' },
        { type: 'session.pause' },
        { type: 'session.resume' },
        { type: 'session.stop' },
      ]);
      const groups = printedEvents(run).flatMap((e) => (e.type === 'process.spawned' ? [e.pgid] : []));
      expect(groups.length).toBeGreaterThan(0);
      await expectNoLeftovers(groups);
    },
    60_000,
  );

  test(
    'asks for a review from the page, then answers the escalation of a critical block there, and the session goes on',
    async () => {
      const target = await writeReviewTarget();
      const run = startCli(process.execPath, [CLI, 'run', 'add a farewell', '--target', target, '--agents', 'claude,codex', '--json', '--port', '0']);
      await openDashboard(run);
      await shows(workerState('worker:implement'), 'running', 15_000);
      await page.getByRole('button', { name: 'Request a review' }).click();
      await shows(page.getByTestId('notes-decisions'), 'review:1: continue (all approve)', 15_000);
      await shows(page.getByTestId('notes-reviews'), 'review:1 · implement · person: codex approve');

      // At the phase's end Codex blocks it: the session waits for this page.
      const question = page.getByTestId('approvals').locator('[data-approval-id="review:2"]');
      await shows(question, 'codex blocked the work with 1 critical finding', 20_000);
      await shows(question.locator('.findings'), 'deletes the repository');
      await shows(page.getByTestId('session-state'), 'escalated');
      await question.getByRole('button', { name: 'Approve' }).click();
      expect(await within(run.exited, 20_000, 'the CLI to finish after the approval')).toBe(0);
      const events = printedEvents(run);
      expect(events.filter((e) => e.type === 'control.received').map((e) => (e as { command: { type: string } }).command.type)).toEqual(['review.request', 'approval.answer']);
      expect(events.find((e) => e.type === 'approval.answered')).toMatchObject({ approvalId: 'review:2', approve: true });
      expect(problems).toEqual([]);
    },
    60_000,
  );
});

// A target whose implementer works for about four seconds and whose reviewer approves the first
// review and blocks the second with a critical finding.
async function writeReviewTarget(): Promise<string> {
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const verdict = (value: string, findings: object[]) => ({ answer: { verdict: value, findings, summary: `${value}.` } });
  const scenarios = {
    claude: { steps: [{ events: { count: 200, intervalMs: 20 } }, { write: { path: 'farewell.txt', content: 'bye\n' } }, { say: 'done' }] },
    codex: { steps: [{ say: 'unused' }], reviews: [[verdict('approve', [])], [verdict('block', [{ severity: 'critical', file: null, line: null, message: 'deletes the repository' }])]] },
  };
  const agents: Record<string, { command: string[] }> = {};
  for (const [agent, scenario] of Object.entries(scenarios)) {
    const file = join(dir, `${agent}.json`);
    await writeFile(file, JSON.stringify(scenario));
    agents[agent] = { command: [process.execPath, SIM, '--vendor', agent, '--scenario', file, '--'] };
  }
  const plan = { phases: [{ id: 'implement', title: 'Implementation', role: 'implementer', preferredAgent: 'claude', share: 1, instructions: 'Implement it.' }] };
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents, plan, policy: { sandbox: 'off' } }));
  return target;
}
