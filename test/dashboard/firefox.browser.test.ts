import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { waitUntil } from '../support/processes.js';
import { browserTest, createProblemLog, launchFirefox, missingFirefox } from './browsers.js';
import { serveScriptedDashboard, type ScriptedDashboard } from './scripted-dashboard.js';

/*
 * The dashboard in Firefox ESR, driven with puppeteer-core over WebDriver BiDi: the same page and
 * scripted session as the Chromium tests, checked for what a person relies on in another engine.
 */

const WAIT_MS = 5000;
/** Laying a chart out with ELK the first time takes a while on a busy machine. */
const CHART_WAIT_MS = 15_000;
const TASK = 'Add a friendly greeting to the README and a test for it';

let dashboard: ScriptedDashboard | undefined;
let browser: Browser | undefined;
let page: Page;
let problems: string[] = [];

const test = browserTest(missingFirefox);
const card = (workerId: string) => `[data-worker-id="${workerId}"]`;
const node = (id: string) => `svg[data-testid=statechart] g.state[data-node-id="${id}"]`;
const session = () => dashboard!.session;

// Waits, bounded, until an element the selector matches shows the text (puppeteer's text selector
// finds the element itself or the descendant of it that holds the text).
async function shows(selector: string, text: string, timeout = WAIT_MS): Promise<void> {
  await page.waitForSelector(`${selector}::-p-text(${JSON.stringify(text)})`, { timeout });
}

// Waits, bounded, until the drawn chart lights this state, and checks that it no longer lights `unlit`.
async function lit(id: string, unlit: string, timeout = WAIT_MS): Promise<void> {
  await page.waitForSelector(`${node(id)}[data-active="true"]`, { timeout });
  expect(await page.$eval(node(unlit), (element) => element.getAttribute('data-active'))).toBeNull();
}

const isDisabled = (selector: string) => page.$eval(selector, (element) => element.hasAttribute('disabled'));

beforeAll(async () => {
  if (missingFirefox) return;
  dashboard = await serveScriptedDashboard(TASK);
  browser = await launchFirefox();
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 860 });
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

describe('the dashboard in Firefox', () => {
  test('shows the task, the session state and the tier with how it got there', async () => {
    await shows('h1.task', TASK);
    await shows('[data-testid=stat-tier]', 'All three agents');
    await shows('.tier-path', 'trio');
    await shows('[data-testid=session-state]', 'working');
    await shows('[data-testid=connection]', 'Live · seq');
  });

  test('draws a card per worker whose state follows the worker machine', async () => {
    await shows(`${card('worker:design')} [data-testid=worker-state]`, 'starting');
    await shows(card('worker:design'), 'Gemini CLI');
    session().agentStarted('worker:design', 'gemini-2.5-pro');
    session().work('worker:design', 1);
    await shows(`${card('worker:design')} [data-testid=worker-state]`, 'running');
    await shows(`${card('worker:design')} .worker-output`, 'cat README.md');
    await shows('[data-testid=stat-tokens]', '1.8k in');
  });

  test('sends worker.pause from the card and shows the state the worker reports', async () => {
    await page.click(`${card('worker:design')} [data-testid=worker-pause]`);
    await waitUntil(() => session().controls.some((c) => c.type === 'worker.pause'), WAIT_MS, 'the session to receive worker.pause');
    expect(session().controls).toEqual([{ type: 'worker.pause', workerId: 'worker:design' }]);
    await shows(`${card('worker:design')} .control-status`, 'worker.pause accepted');
    await shows(`${card('worker:design')} [data-testid=worker-state]`, 'paused');
    expect(await isDisabled(`${card('worker:design')} [data-testid=worker-resume]`)).toBe(false);
    expect(await isDisabled(`${card('worker:design')} [data-testid=worker-pause]`)).toBe(true);
  });

  test('draws the worker statechart with its active state lit, and moves the light when the state changes', async () => {
    await page.click(`${card('worker:design')} [data-testid=worker-chart]`);
    await lit('worker.live.paused', 'worker.live.running', CHART_WAIT_MS);
    expect((await page.$$('svg[data-testid=statechart] g.state')).length).toBeGreaterThanOrEqual(9);
    await shows('svg[data-testid=statechart] .edge-label', 'worker.resume');
    // A drawn box has a size: the layout measured text and placed the states in Firefox too.
    const box = await page.$eval(`${node('worker.live.paused')} rect`, (rect) => {
      const { width, height } = rect.getBoundingClientRect();
      return { width, height };
    });
    expect(box.width).toBeGreaterThan(20);
    expect(box.height).toBeGreaterThan(10);

    session().source.control({ type: 'worker.resume', workerId: 'worker:design' });
    await lit('worker.live.running', 'worker.live.paused');
    await shows('[data-testid=chart-state]', 'live.running');
    await shows('[data-testid=steps]', 'worker.resume');
  });

  test('lists the events in the log, and filters them by type', async () => {
    await page.click('[data-testid=tab-events]');
    const total = session().entries.length;
    await shows('.log-count', `${total} of ${total} events`);
    await shows('[data-testid=event-log]', 'tier none → trio');
    await shows('[data-testid=event-log]', 'cat README.md');
    await page.select('[data-testid=filter-type]', 'agent.toolCall');
    await shows('.log-count', `1 of ${total}`);
  });

  test('logged no page error and no console error', async () => {
    expect(problems).toEqual([]);
  });
});
