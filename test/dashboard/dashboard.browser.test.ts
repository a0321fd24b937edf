import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page, type WebSocketRoute } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardServer, type DashboardServer } from '../../src/ws-server/index.js';
import { createScriptedSession, type ScriptedSession } from './scripted-session.js';

/*
 * The dashboard in a real Chromium: built with Vite, served by the real server over a scripted
 * session, driven with playwright-core. Debian's Chromium is used as it is; no browser is ever
 * downloaded, and a machine without it fails here with a message saying what to install.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// playwright-core adds --headless and --no-sandbox and gives every launch a fresh profile directory.
const FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT_MS = 5000;
const DASHBOARD = fileURLToPath(new URL('../../dashboard', import.meta.url));
const TASK = 'Add a friendly greeting to the README and a test for it';

let outDir: string;
let session: ScriptedSession;
let server: DashboardServer | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];
/** The page's sockets, each passed through to the server, so a test can cut one as a network would. */
const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
/** What the page sent over them, parsed. */
const sent: { type: string; fromSeq?: number }[] = [];

const card = (workerId: string) => page.locator(`[data-worker-id="${workerId}"]`);
const node = (id: string) => page.locator(`svg[data-testid=statechart] g.state[data-node-id="${id}"]`);
// Waits, bounded, until a locator shows the text.
const shows = (locator: Locator, text: string | RegExp) => locator.filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS });

// Waits, bounded, until a condition on this side holds.
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Without the browser every test fails with this message: a missing browser is never a skip.
const missing = existsSync(CHROMIUM)
  ? null
  : new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary. This test never downloads a browser.`);
const test = (name: string, body: () => Promise<void>) =>
  it(name, async () => {
    if (missing) throw missing;
    await body();
  });

beforeAll(async () => {
  if (missing) return;
  outDir = mkdtempSync(join(tmpdir(), 'orchestrate-dashboard-'));
  await build({ root: DASHBOARD, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  session = createScriptedSession({ task: TASK });
  session.start();
  server = await createDashboardServer({ source: session.source, port: 0, host: '127.0.0.1', dashboardDir: outDir });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 20_000 });
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
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${text}`);
  });
  await page.goto(server.url, { timeout: 10_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
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
