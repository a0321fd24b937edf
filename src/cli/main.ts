#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT_CODES, OrchestrateError } from '../runtime/errors.js';
import { createProgram } from './program.js';

let exitCode: number = EXIT_CODES.success;
const program = createProgram((code) => (exitCode = code));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end with code 0; usage errors were already printed by commander.
    exitCode = error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  } else if (error instanceof OrchestrateError) {
    process.stderr.write(`orchestrate: ${error.message}\n`);
    exitCode = error.exitCode;
  } else {
    process.stderr.write(`orchestrate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitCode = EXIT_CODES.taskFailed;
  }
}
process.exitCode = exitCode;
