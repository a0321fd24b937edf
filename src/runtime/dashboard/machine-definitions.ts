import { sessionMachine, workerMachine } from '../../machines/index.js';

let definitions: Record<string, unknown> | undefined;

// The machines' definitions for drawing, as plain JSON keyed by machine id, computed once.
export function machineDefinitions(): Record<string, unknown> {
  return (definitions ??= JSON.parse(JSON.stringify({ session: sessionMachine.toJSON(), worker: workerMachine.toJSON() })) as Record<string, unknown>);
}
