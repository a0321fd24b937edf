import { createRequire } from 'node:module';
import { Command } from 'commander';
import { makeDemoCommand } from './commands/demo.js';
import { makeDoctorCommand } from './commands/doctor.js';
import { makeReplayCommand } from './commands/replay.js';
import { makeResumeCommand } from './commands/resume.js';
import { makeRunCommand } from './commands/run.js';
import { makeExportCommand, makeSessionsCommand, makeShowCommand } from './commands/sessions.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

// The orchestrate command line; `setExitCode` receives each command's outcome.
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('orchestrate')
    .description('run one coding task across several AI coding-agent CLIs as supervised actors')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  const commands = [
    makeRunCommand(setExitCode),
    makeDemoCommand(setExitCode),
    makeDoctorCommand(setExitCode),
    makeSessionsCommand(),
    makeShowCommand(),
    makeExportCommand(),
    makeResumeCommand(setExitCode),
    makeReplayCommand(setExitCode),
  ];
  for (const command of commands) {
    // addCommand does not copy settings: each command must throw instead of exiting, too.
    program.addCommand(command.exitOverride().showHelpAfterError());
  }
  return program;
}
