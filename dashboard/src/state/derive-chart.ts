import type { StateValue } from '../../../src/protocol/index.js';

/** A state node of a machine, as the chart draws it. */
export interface ChartNode {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  parentId: string | null;
  children: string[];
  /** The child entered first (compound states). */
  initialId: string | null;
  /** Invoked actors, entry and exit actions, and transitions that stay in the state, for the node's details. */
  invokes: string[];
  entry: string[];
  exit: string[];
  internal: string[];
}

/** One transition to one target, labelled with what triggers it. */
export interface ChartEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: 'event' | 'always' | 'after' | 'done' | 'error';
}

/** A machine definition (machine.toJSON()) turned into nodes and edges. */
export interface ChartModel {
  machineId: string;
  rootId: string;
  nodes: Map<string, ChartNode>;
  edges: ChartEdge[];
}

interface RawTransition {
  target?: unknown;
  eventType?: unknown;
  guard?: unknown;
  actions?: unknown;
}

interface RawNode {
  id?: unknown;
  key?: unknown;
  type?: unknown;
  initial?: { target?: unknown } | null;
  states?: Record<string, RawNode>;
  transitions?: RawTransition[];
  /** Eventless transitions; XState's toJSON leaves them out, so a server adds them under this key. */
  always?: RawTransition[];
  entry?: unknown;
  exit?: unknown;
  invoke?: unknown;
}

const TYPES = new Set<ChartNode['type']>(['atomic', 'compound', 'parallel', 'final', 'history']);

// Builds the chart model of a machine definition, or null when it is not one. Tolerant by design:
// the definition is whatever the server's machines serialize to, and unknown parts are skipped.
export function buildChartModel(definition: unknown): ChartModel | null {
  if (!isRecord(definition) || typeof definition.id !== 'string') return null;
  const model: ChartModel = { machineId: definition.id, rootId: definition.id, nodes: new Map(), edges: [] };
  addNode(model, definition as RawNode, null);
  for (const raw of walk(definition as RawNode)) addEdges(model, raw);
  return model;
}

// The ids of every state node active in `value`, ancestors included.
export function activeNodeIds(model: ChartModel, value: StateValue | null): Set<string> {
  const active = new Set<string>();
  const visit = (nodeId: string, sub: StateValue | null) => {
    active.add(nodeId);
    if (sub === null) return;
    const entries: [string, StateValue | null][] = typeof sub === 'string' ? [[sub, null]] : Object.entries(sub);
    for (const [key, inner] of entries) {
      const child = childByKey(model, nodeId, key);
      if (child) visit(child.id, inner);
    }
  };
  if (value !== null) visit(model.rootId, value);
  return active;
}

// The edges a snapshot's transitions took, to light them.
export function takenEdgeIds(model: ChartModel, transitions: readonly { source: string; targets: readonly string[] }[]): Set<string> {
  const taken = new Set<string>();
  for (const t of transitions) {
    for (const edge of model.edges) if (edge.source === t.source && t.targets.includes(edge.target)) taken.add(edge.id);
  }
  return taken;
}

// A short label for what triggers a transition: the event, 'after <delay>', '<actor> done', 'always'.
export function eventLabel(eventType: string, invokes: ReadonlyMap<string, string>): { text: string; kind: ChartEdge['kind'] } {
  if (!eventType) return { text: 'always', kind: 'always' };
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return { text: `after ${after[1]}`, kind: 'after' };
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (actor) {
    const name = actor[2] === '*' ? 'a child' : (invokes.get(actor[2]!) ?? actor[2]!);
    return actor[1] === 'done' ? { text: `${name} done`, kind: 'done' } : { text: `${name} failed`, kind: 'error' };
  }
  if (eventType.startsWith('xstate.done.state.')) return { text: 'done', kind: 'done' };
  return { text: eventType, kind: 'event' };
}

// A guard as written in the machine: 'isTier(trio)', 'workerSucceeded'; null for inline guards.
export function guardLabel(guard: unknown): string | null {
  if (typeof guard === 'string') return guard;
  if (!isRecord(guard) || typeof guard.type !== 'string') return null;
  const params = isRecord(guard.params) ? Object.values(guard.params).map(String) : [];
  return params.length > 0 ? `${guard.type}(${params.join(', ')})` : guard.type;
}

function addNode(model: ChartModel, raw: RawNode, parentId: string | null): void {
  const id = String(raw.id);
  const states = isRecord(raw.states) ? Object.values(raw.states) : [];
  const type = TYPES.has(raw.type as ChartNode['type']) ? (raw.type as ChartNode['type']) : states.length > 0 ? 'compound' : 'atomic';
  const initial = firstTarget(raw.initial?.target);
  model.nodes.set(id, {
    id,
    key: typeof raw.key === 'string' ? raw.key : id,
    type,
    parentId,
    children: states.map((child) => String(child.id)),
    initialId: type === 'compound' ? initial : null,
    invokes: namesOf(raw.invoke, 'src'),
    entry: namesOf(raw.entry, 'type'),
    exit: namesOf(raw.exit, 'type'),
    internal: [],
  });
  for (const child of states) addNode(model, child, id);
}

function addEdges(model: ChartModel, raw: RawNode): void {
  const source = String(raw.id);
  const invokes = new Map<string, string>();
  if (Array.isArray(raw.invoke)) for (const i of raw.invoke) if (isRecord(i) && typeof i.id === 'string') invokes.set(i.id, String(i.src ?? i.id));
  const all = [...(Array.isArray(raw.transitions) ? raw.transitions : []), ...(Array.isArray(raw.always) ? raw.always : [])];
  all.forEach((transition, index) => {
    const event = eventLabel(typeof transition.eventType === 'string' ? transition.eventType : '', invokes);
    const guard = guardLabel(transition.guard);
    // An eventless transition is drawn dashed, so its guard alone says when it is taken.
    const label = guard ? (event.kind === 'always' ? `[${guard}]` : `${event.text} [${guard}]`) : event.text;
    const targets = Array.isArray(transition.target) ? transition.target.map((t) => String(t).replace(/^#/, '')).filter((t) => model.nodes.has(t)) : [];
    if (targets.length === 0) return void model.nodes.get(source)?.internal.push(label);
    for (const target of targets) model.edges.push({ id: `${source}|${index}|${target}`, source, target, label, kind: event.kind });
  });
}

function* walk(raw: RawNode): Generator<RawNode> {
  yield raw;
  if (isRecord(raw.states)) for (const child of Object.values(raw.states)) yield* walk(child);
}

function childByKey(model: ChartModel, parentId: string, key: string): ChartNode | undefined {
  const parent = model.nodes.get(parentId);
  for (const id of parent?.children ?? []) {
    const child = model.nodes.get(id);
    if (child?.key === key) return child;
  }
  return undefined;
}

function firstTarget(target: unknown): string | null {
  return Array.isArray(target) && typeof target[0] === 'string' ? target[0].replace(/^#/, '') : null;
}

function namesOf(list: unknown, field: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => (typeof item === 'string' ? [item] : isRecord(item) && typeof item[field] === 'string' ? [item[field] as string] : []));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
