import { EXIT_CODES } from '../runtime/errors.js';
import type { SessionSummary } from '../domain/index.js';
import type { RunningSession } from '../runtime/start-session.js';
import { prepareStatelyInspector } from '../runtime/stately-inspector.js';
import { startDashboard, type DashboardFlags } from './dashboard-options.js';
import { createJsonReporter, createPlainReporter, createTtyReporter, type Reporter } from './reporters.js';
import type { StatelyInspectorFlags } from './stately-inspector-option.js';
import { attachTerminalPerson } from './terminal-person.js';

export interface TerminalOptions extends DashboardFlags, StatelyInspectorFlags {
  json: boolean;
  verbose: boolean;
  stdout: NodeJS.WriteStream;
  /** Keep serving the dashboard after the session ended, until Ctrl-C (when a person is watching). */
  linger?: boolean;
}

// The terminal options a command's flags give.
export function toTerminalOptions(flags: DashboardFlags & StatelyInspectorFlags & { json: boolean; verbose: boolean }, linger = false): TerminalOptions {
  const { json, verbose, dashboard, port, host, open, inspectStately } = flags;
  return { json, verbose, dashboard, port, host, open, inspectStately, linger, stdout: process.stdout };
}

// Waits for Ctrl-C (or SIGTERM) while the dashboard keeps showing the finished session.
function waitForInterrupt(say: (text: string) => void): Promise<void> {
  say('the session ended; the dashboard stays open until you press Ctrl-C');
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function chooseReporter(options: TerminalOptions): Reporter {
  if (options.json) return createJsonReporter(options.stdout);
  if (options.stdout.isTTY && !options.verbose) return createTtyReporter(options.stdout);
  return createPlainReporter(options.stdout, options.verbose);
}

// Runs one session (new or resumed) in the foreground: reports it, stops it cleanly on Ctrl-C,
// returns the exit code.
export async function runSessionInTerminal(open: () => Promise<RunningSession>, options: TerminalOptions): Promise<number> {
  const reporter = chooseReporter(options);
  const say = (text: string) => process.stderr.write(`${text}\n`);
  // Before the session exists: a missing @statelyai/inspect is a usage error that leaves nothing behind.
  const attachStately = options.inspectStately ? await prepareStatelyInspector({ url: options.inspectStately, warn: say }) : undefined;
  const session = await open();
  reporter.attach(session.log, session.worktree);
  const dashboard = await startDashboard(session, options, say);
  const stately = attachStately?.(session.actor);
  const detachPerson = attachTerminalPerson(session, { input: process.stdin, note: (text) => reporter.note(text), dashboard: dashboard !== undefined });
  session.start();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      // A second Ctrl-C: leave now; the watchdog kills whatever is left.
      process.exit(EXIT_CODES.interrupted);
    }
    interrupted = true;
    reporter.note('stopping the agents (Ctrl-C again to leave at once)');
    session.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await session.done;
    detachPerson();
    reporter.finish(summary);
    if (dashboard && options.linger && options.stdout.isTTY && !interrupted) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await waitForInterrupt(say);
    }
    return exitCodeOf(summary, interrupted);
  } finally {
    detachPerson();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stately?.close();
    await dashboard?.close();
    session.dispose();
  }
}

/** The exit code of a session that ended: `interrupted` when Ctrl-C or SIGTERM came while it ran. */
export function exitCodeOf(summary: Pick<SessionSummary, 'status' | 'phases' | 'tierPath'>, interrupted: boolean): number {
  // A session that completed says so, even when Ctrl-C came as it ended.
  if (summary.status === 'completed') return EXIT_CODES.success;
  // Stopped by a person, from the terminal or the dashboard.
  if (interrupted || summary.status === 'stopped') return EXIT_CODES.interrupted;
  const noAgent = summary.phases.every((p) => p.attempts.length === 0) || summary.tierPath.at(-1)?.to === 'none';
  return noAgent ? EXIT_CODES.noAgent : EXIT_CODES.taskFailed;
}
