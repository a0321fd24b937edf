import { EXIT_CODES } from '../runtime/errors.js';
import type { RunningSession } from '../runtime/start-session.js';
import { createJsonReporter, createPlainReporter, createTtyReporter, type Reporter } from './reporters.js';

export interface TerminalOptions {
  json: boolean;
  verbose: boolean;
  stdout: NodeJS.WriteStream;
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
  const session = await open();
  reporter.attach(session.log, session.worktree);
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
    reporter.finish(summary);
    if (interrupted) return EXIT_CODES.interrupted;
    if (summary.status === 'completed') return EXIT_CODES.success;
    const noAgent = summary.phases.every((p) => p.attempts.length === 0) || summary.tierPath.at(-1)?.to === 'none';
    return noAgent ? EXIT_CODES.noAgent : EXIT_CODES.taskFailed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
