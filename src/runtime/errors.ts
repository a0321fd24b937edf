/** Exit codes of the orchestrate command, documented in the README. */
export const EXIT_CODES = {
  success: 0,
  taskFailed: 1,
  usage: 2,
  noAgent: 3,
  interrupted: 130,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

/** A fault of configuration or usage, with the exit code the CLI ends with. */
export class OrchestrateError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: ExitCodeName = 'usage', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrchestrateError';
    this.exitCode = EXIT_CODES[exitCode];
  }
}
