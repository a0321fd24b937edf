import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { waitUntil } from '../support/processes.js';
import { browserTest, createProblemLog, launchChromium, missingChromium } from './browsers.js';
import { serveScriptedDashboard, type ScriptedDashboard } from './scripted-dashboard.js';
import type { ScriptedSession } from './scripted-session.js';

/*
 * The dashboard in a real Chromium: built with Vite, served by the real server over a scripted
 * session, driven with playwright-core.
 */

const WAIT_MS = 5000;
const TASK = 'Add a friendly greeting to the README and a test for it';

let dashboard: ScriptedDashboard | undefined;
let session: ScriptedSession;
let browser: Browser | undefined;
let page: Page;
let problems: string[] = [];
/** The page's sockets, each passed through to the server, so a test can cut one as a network would. */
const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
/** What the page sent over them, parsed. */
const sent: { type: string; fromSeq?: number }[] = [];

const card = (workerId: string) => page.locator(`[data-worker-id="${workerId}"]`);
const node = (id: string) => page.locator(`svg[data-testid=statechart] g.state[data-node-id="${id}"]`);
// Waits, bounded, until a locator shows the text.
const shows = (locator: Locator, text: string | RegExp) => locator.filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS });
// Waits, bounded, until a condition on this side holds.
const until = (condition: () => boolean, what: string) => waitUntil(condition, WAIT_MS, what);
const test = browserTest(missingChromium);

beforeAll(async () => {
  if (missingChromium) return;
  dashboard = await serveScriptedDashboard(TASK);
  session = dashboard.session;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  page.setDefaultTimeout(WAIT_MS);
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((message) => {
      sent.push(JSON.parse(String(message)) as { type: string; fromSeq?: number });
      upstream.send(message);
    });
    sockets.push({ page: ws, server: upstream });
  });
  const log = createProblemLog();
  page.on('pageerror', log.onPageError);
  page.on('console', log.onConsole);
  problems = log.problems;
  await page.goto(dashboard.server.url, { timeout: 10_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
}, 20_000);

describe('the dashboard in Chromium', () => {
  test('shows the task, the session state and the tier with how it got there', async () => {
    await shows(page.locator('h1.task'), TASK);
    await shows(page.getByTestId('stat-tier'), 'all three agents');
    await shows(page.locator('.tier-path'), 'trio');
    await shows(page.getByTestId('session-state'), 'working');
    await shows(page.getByTestId('connection'), /Live · seq \d+/);
  });

  test('draws a card per worker whose state follows the worker machine as batches arrive', async () => {
    const worker = card('worker:design');
    await shows(worker.getByTestId('worker-state'), 'starting');
    await shows(worker, 'Gemini CLI');
    session.agentStarted('worker:design', 'gemini-2.5-pro');
    session.work('worker:design', 1);
    await shows(worker.getByTestId('worker-state'), 'running');
    await shows(worker.locator('.worker-output'), 'cat README.md');
    await shows(page.getByTestId('stat-tokens'), '1.8k in');
  });

  test('sends worker.pause from the card, shows the ack, and the state the worker reports', async () => {
    const worker = card('worker:design');
    await worker.getByTestId('worker-pause').click();
    await until(() => session.controls.some((c) => c.type === 'worker.pause'), 'the session to receive worker.pause');
    expect(session.controls).toContainEqual({ type: 'worker.pause', workerId: 'worker:design' });
    await shows(worker.locator('.control-status'), 'worker.pause accepted');
    await shows(worker.getByTestId('worker-state'), 'paused');
    expect(await worker.getByTestId('worker-resume').isEnabled()).toBe(true);
    expect(await worker.getByTestId('worker-pause').isEnabled()).toBe(false);
  });

  test('draws the worker statechart with the active state lit, and moves the light when the state changes', async () => {
    await card('worker:design').getByTestId('worker-chart').click();
    await node('worker.live.paused').and(page.locator('[data-active="true"]')).waitFor({ timeout: 15_000 });
    expect(await page.locator('svg[data-testid=statechart] g.state').count()).toBeGreaterThanOrEqual(9);
    expect(await page.locator('svg[data-testid=statechart] .edge-label', { hasText: 'worker.resume' }).count()).toBe(1);
    expect(await node('worker.live.running').getAttribute('data-active')).toBeNull();

    session.source.control({ type: 'worker.resume', workerId: 'worker:design' });
    await node('worker.live.running').and(page.locator('[data-active="true"]')).waitFor();
    expect(await node('worker.live.paused').getAttribute('data-active')).toBeNull();
    await shows(page.getByTestId('chart-state'), 'live.running');
    await shows(page.getByTestId('steps'), 'worker.resume');
  });

  test('scrubs the actor history: selecting an event shows the state as it was then', async () => {
    await page.getByTestId('steps').locator('[role=option]', { hasText: 'worker.pause' }).click();
    await shows(page.getByTestId('chart-state'), 'live.paused');
    await node('worker.live.paused').and(page.locator('[data-active="true"]')).waitFor();
    await page.getByRole('button', { name: 'Back to live' }).click();
    await node('worker.live.running').and(page.locator('[data-active="true"]')).waitFor();
  });

  test('keeps the event log virtual: 100,000 events, a screenful of rows, filters by worker and type', async () => {
    session.flood('worker:design', 100_000);
    await page.getByTestId('tab-events').click();
    const total = session.entries.length.toLocaleString('en-US');
    await page.locator('.log-count', { hasText: `${total} of ${total} events` }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.log-rows .log-row').count()).toBeLessThan(120);
    await shows(page.getByTestId('event-log'), 'line 99999');
    await page.getByTestId('filter-type').selectOption('agent.toolCall');
    await shows(page.locator('.log-count'), `1 of ${total}`);
    await shows(page.getByTestId('event-log'), 'ls -la');
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-worker').selectOption('session');
    await shows(page.getByTestId('event-log'), 'tier none → trio');
  });

  test('reconnects after the connection drops and gets exactly the events it missed', async () => {
    const before = session.entries.length;
    const cut = sockets.at(-1)!;
    await cut.page.close({ code: 4000, reason: 'network gone' });
    await cut.server.close();
    await shows(page.getByTestId('connection'), /Reconnecting/);
    session.flood('worker:design', 500);
    const total = session.entries.length;
    expect(total).toBe(before + 500);
    await shows(page.getByTestId('connection'), `Live · seq ${total.toLocaleString('en-US')}`);
    // Every event once: as many rows as the session has events, the last one the last appended.
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-worker').selectOption('');
    await shows(page.locator('.log-count'), `${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`);
    await shows(page.getByTestId('event-log'), 'line 499');
    expect(sockets.length).toBe(2);
    expect(sent.filter((m) => m.type === 'subscribe').map((m) => m.fromSeq)).toEqual([1, before + 1]);
  });

  test('looks deliberate (screenshot), and the page logged no error', async () => {
    session.finishPhase('worker:design', 'DESIGN.md describes the greeting and its test');
    session.startPhase('implement', 'claude');
    session.agentStarted('worker:implement', 'claude-sonnet-4-5');
    session.work('worker:implement', 3);
    session.askApproval('worker:implement', 'npm install --save-dev left-pad');
    await page.getByTestId('tab-overview').click();
    await shows(card('worker:design').getByTestId('worker-state'), 'done');
    await shows(card('worker:implement').getByTestId('worker-state'), 'running');
    await shows(page.getByTestId('approvals'), 'npm install --save-dev left-pad');
    await shows(page.getByTestId('stat-phases'), '1 of 3 done');
    const file = join(tmpdir(), `orchestrate-dashboard-${process.pid}.png`);
    await page.screenshot({ path: file });
    console.info(`dashboard screenshot: ${file}`);
    expect(problems).toEqual([]);
  });
});
