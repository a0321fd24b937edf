import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import type { ReplayTimeline } from '../../src/protocol/index.js';
import { createSessionArchive } from '../../src/runtime/dashboard/session-archive.js';
import { createSessionSource } from '../../src/runtime/dashboard/session-source.js';
import { createDashboardServer, type DashboardServer } from '../../src/ws-server/index.js';
import { startSimSession, type SimSession } from '../support/sim-session.js';
import { browserTest, createProblemLog, launchChromium, missingChromium } from './browsers.js';

/*
 * A past session opened in replay, in a real Chromium: a session recorded on simulated agents (its
 * architect fails to log in, so the tier drops and the design phase is retried), served with the
 * workspace's archive, listed in the Sessions tab and scrubbed backwards and forwards.
 */

const DASHBOARD = fileURLToPath(new URL('../../dashboard', import.meta.url));
const WAIT_MS = 5000;
const test = browserTest(missingChromium);

let outDir: string;
let sim: SimSession | undefined;
let server: DashboardServer | undefined;
let browser: Browser | undefined;
let page: Page;
let timeline: ReplayTimeline;
const log = createProblemLog();

const card = (workerId: string) => page.locator(`[data-worker-id="${workerId}"]`);
const shows = (locator: Locator, text: string | RegExp) => locator.filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS });
// The timeline position right after the event that matches.
const after = (match: (entry: LogEntry) => boolean) => timeline.items.findIndex((item) => item.kind === 'log' && match(item.entry)) + 1;
// Moves the scrubber as a person dragging it would: its value, then an input event.
const scrubTo = (position: number) =>
  page.getByTestId('replay-scrubber').evaluate((input: { value: string; dispatchEvent(event: Event): boolean }, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);

beforeAll(async () => {
  if (missingChromium) return;
  outDir = mkdtempSync(join(tmpdir(), 'orchestrate-replay-'));
  await build({ root: DASHBOARD, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  sim = await startSimSession({ scenarios: { gemini: { steps: [{ fail: { kind: 'auth' } }] } } });
  await sim.session.done;
  const { session } = sim;
  const archive = createSessionArchive({ db: session.database, store: session.store });
  const replayed = await archive.replay(session.sessionId);
  if (!replayed.ok) throw new Error(replayed.message);
  timeline = replayed.timeline;
  server = await createDashboardServer({ source: createSessionSource({ ...session, db: session.database }), archive, port: 0, dashboardDir: outDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', log.onPageError);
  page.on('console', log.onConsole);
  await page.goto(server.url);
  await shows(page.getByTestId('session-state'), 'completed');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sim?.cleanup();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
}, 30_000);

describe('a past session in replay, in Chromium', () => {
  test('lists the workspace sessions and opens one in replay', async () => {
    await page.getByTestId('tab-sessions').click();
    const row = page.locator(`[data-session-id="${sim!.session.sessionId}"]`);
    await shows(row, 'completed');
    await shows(row, 'trio › claude-codex');
    await row.getByTestId('session-replay').click();
    await page.getByTestId('replay-bar').waitFor();
    await shows(page.getByTestId('connection'), 'Replay');
    // It plays on its own, at ten times the recorded pace, to the recorded end.
    await shows(page.getByTestId('replay-where'), `seq ${timeline.lastSeq} of ${timeline.lastSeq}`);
    await shows(page.getByTestId('session-state'), 'completed');
  });

  test('scrubbed back, every panel shows the session as it was then, and no control is offered', async () => {
    await page.getByTestId('tab-overview').click();
    // The design phase's second attempt has just finished; the implementer is not started yet.
    const designDone = after((e) => e.type === 'phase.finished' && e.workerId === 'worker:design:2');
    await scrubTo(designDone);
    const seq = (timeline.items[designDone - 1] as { entry: LogEntry }).entry.seq;
    await shows(page.getByTestId('replay-where'), `seq ${seq} of ${timeline.lastSeq}`);
    await shows(card('worker:design').getByTestId('worker-state'), 'failed');
    await shows(card('worker:design:2').getByTestId('worker-state'), 'done');
    expect(await card('worker:implement').count()).toBe(0);
    await shows(page.getByTestId('stat-phases'), '1 of 3 done');
    expect(await page.getByTestId('session-state').textContent()).not.toBe('completed');
    expect(await card('worker:design:2').getByTestId('worker-pause').isVisible()).toBe(false);
    expect(await page.getByTestId('session-pause').isVisible()).toBe(false);

    await page.getByTestId('tab-events').click();
    await shows(page.locator('.log-count'), `${seq} of ${seq} events`);

    await scrubTo(timeline.items.length);
    await shows(page.locator('.log-count'), `${timeline.lastSeq} of ${timeline.lastSeq} events`);
    await page.getByTestId('tab-overview').click();
    await shows(card('worker:validate').getByTestId('worker-state'), 'done');
    await shows(page.getByTestId('session-state'), 'completed');
  });

  test('draws a replayed worker statechart, with the context after each event it received', async () => {
    await card('worker:implement').getByTestId('worker-chart').click();
    await page.locator('svg[data-testid=statechart] g.state[data-active="true"]').first().waitFor({ timeout: 15_000 });
    await shows(page.getByTestId('chart-state'), 'done');
    await page.getByTestId('steps').locator('[role=option]').first().click();
    await shows(page.getByTestId('step-context'), '"workerId": "worker:implement"');
    await shows(page.getByTestId('chart-state'), 'After event #1');
  });

  test('plays again from the start and goes back to the live session', async () => {
    await scrubTo(0);
    await shows(page.getByTestId('replay-where'), `seq 0 of ${timeline.lastSeq}`);
    await page.getByTestId('replay-speed').selectOption('1000');
    await page.getByTestId('replay-play').click();
    await shows(page.getByTestId('replay-where'), `seq ${timeline.lastSeq} of ${timeline.lastSeq}`);
    await page.getByTestId('replay-exit').click();
    await page.getByTestId('replay-bar').waitFor({ state: 'detached' });
    await shows(page.getByTestId('connection'), /Live · seq \d+/);
    expect(await page.getByTestId('session-pause').isVisible()).toBe(true);
  });

  test('logged no error', () => {
    expect(log.problems).toEqual([]);
    return Promise.resolve();
  });
});
