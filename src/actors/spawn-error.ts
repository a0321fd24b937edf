import type { Failure } from '../domain/index.js';

// Why an agent binary could not be started, as a failure a person can act on.
export function classifySpawnError(file: string, error: { code: string; message: string }): Failure {
  if (error.code === 'ENOENT') return { code: 'AGENT_NOT_INSTALLED', message: `${file} was not found on PATH` };
  if (error.code === 'EACCES') return { code: 'AGENT_NOT_INSTALLED', message: `${file} is not executable` };
  return { code: 'AGENT_CRASHED', message: `${file} could not be started: ${error.message}` };
}
