import type { AnyStateMachine } from 'xstate';
import { reviewMachine, sessionMachine, workerMachine } from '../../machines/index.js';

/*
 * The machine definitions the server sends in `hello`: machine.toJSON() as JSON, plus each state's
 * eventless (`always`) transitions, which XState's toJSON leaves out. Without them a chart of the
 * session machine misses planning → active, launching → working and the choice of tier. Shaped like
 * toJSON's own transitions; guards built with not() / and() / stateIn() are written out as text.
 */

interface StateNodeLike {
  id: string;
  states: Record<string, StateNodeLike>;
  always?: { target?: readonly { id: string }[]; guard?: unknown }[];
}

type Json = Record<string, unknown> & { states?: Record<string, Json> };

// One machine's drawable definition.
export function drawableDefinition(machine: AnyStateMachine): Json {
  const json = JSON.parse(JSON.stringify(machine.toJSON())) as Json;
  addEventless(machine.root as unknown as StateNodeLike, json);
  return json;
}

let definitions: Record<string, unknown> | undefined;

// The definitions of every machine a session runs, keyed by machine id, computed once.
export function machineDefinitions(): Record<string, unknown> {
  return (definitions ??= {
    session: drawableDefinition(sessionMachine),
    worker: drawableDefinition(workerMachine),
    review: drawableDefinition(reviewMachine),
  });
}

function addEventless(node: StateNodeLike, json: Json): void {
  if (node.always?.length) {
    json.always = node.always.map((t) => ({
      target: (t.target ?? []).map((target) => `#${target.id}`),
      source: `#${node.id}`,
      eventType: '',
      ...(describeGuard(t.guard) ? { guard: describeGuard(t.guard) } : {}),
    }));
  }
  for (const [key, child] of Object.entries(node.states)) if (json.states?.[key]) addEventless(child, json.states[key]);
}

// A guard as text or as toJSON writes it: 'isTier' objects stay, not(x) becomes 'not(x)', stateIn(v) 'in(v)'.
function describeGuard(guard: unknown): unknown {
  if (typeof guard === 'string' || (typeof guard === 'object' && guard !== null)) return guard;
  if (typeof guard !== 'function') return undefined;
  const fn = guard as { name: string; guards?: unknown[]; stateValue?: unknown };
  if (fn.stateValue !== undefined) return `in(${String(fn.stateValue).replace(/^#[^.]+\./, '')})`;
  if (fn.guards) return `${fn.name}(${fn.guards.map((g) => (typeof g === 'string' ? g : describeGuard(g))).join(', ')})`;
  return undefined;
}
