import { existsSync } from 'node:fs';
import { chromium, type Browser as ChromiumBrowser } from 'playwright-core';
import puppeteer, { type Browser as FirefoxBrowser } from 'puppeteer-core';
import { it } from 'vitest';

/*
 * The browsers the dashboard's browser tests drive: Debian's Chromium and Firefox ESR, used as they
 * are installed. No browser is ever downloaded, and a machine without one fails (never skips) with
 * a message saying what to install.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

// playwright-core adds --headless and --no-sandbox and gives every launch a fresh profile directory.
const CHROMIUM_FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// puppeteer-core gives every launch a fresh profile whose preferences already point Firefox's update,
// telemetry and remote-settings services at dummy addresses; these keep the rest of it off the network.
const FIREFOX_PREFS = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.region.network.url': '',
};

const LAUNCH_TIMEOUT_MS = 30_000;

export const missingChromium: Error | null = existsSync(CHROMIUM)
  ? null
  : new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary. This test never downloads a browser.`);

export const missingFirefox: Error | null = existsSync(FIREFOX)
  ? null
  : new Error(`Firefox ESR is not installed at ${FIREFOX}: install Debian's firefox-esr package (apt-get install firefox-esr), or set FIREFOX_PATH to a Firefox binary. This test never downloads a browser.`);

// `it` for a test that needs a browser: without it the test fails with `missing`, never skips.
export function browserTest(missing: Error | null) {
  return (name: string, body: () => Promise<void>, timeout?: number) =>
    it(name, { timeout }, async () => {
      if (missing) throw missing;
      await body();
    });
}

export function launchChromium(): Promise<ChromiumBrowser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: LAUNCH_TIMEOUT_MS });
}

// Firefox speaks WebDriver BiDi to puppeteer-core; headless, so it runs as root with no display.
export function launchFirefox(): Promise<FirefoxBrowser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: FIREFOX_PREFS, timeout: LAUNCH_TIMEOUT_MS });
}

/** What a page reports, typed to fit both libraries' `pageerror` and `console` events. */
export interface ProblemLog {
  /** The page's uncaught errors and console errors and warnings, which a healthy page has none of. */
  problems: string[];
  onPageError: (error: unknown) => void;
  onConsole: (message: { type(): string; text(): string }) => void;
}

// A log of a page's problems, for its 'pageerror' and 'console' listeners.
export function createProblemLog(): ProblemLog {
  const problems: string[] = [];
  return {
    problems,
    onPageError: (error) => void problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
    onConsole: (message) => {
      if (['error', 'warning', 'warn'].includes(message.type())) problems.push(`console ${message.type()}: ${message.text()}`);
    },
  };
}
