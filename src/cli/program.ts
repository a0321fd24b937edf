import { createRequire } from 'node:module';
import { Command } from 'commander';
import { makeDemoCommand } from './commands/demo.js';
import { makeDoctorCommand } from './commands/doctor.js';
import { makeRunCommand } from './commands/run.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

// The orchestrate command line; `setExitCode` receives each command's outcome.
export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('orchestrate')
    .description('run one coding task across several AI coding-agent CLIs as supervised actors')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  for (const command of [makeRunCommand(setExitCode), makeDemoCommand(setExitCode), makeDoctorCommand(setExitCode)]) {
    // addCommand does not copy settings: each command must throw instead of exiting, too.
    program.addCommand(command.exitOverride().showHelpAfterError());
  }
  return program;
}
