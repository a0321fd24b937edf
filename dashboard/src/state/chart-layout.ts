import type { ChartEdge, ChartModel, ChartNode } from './derive-chart.js';

/** The part of ELK's JSON graph this chart uses (elkjs's ElkNode, kept local so this module stays pure). */
export interface ElkGraph {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkGraph[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
}

export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[];
}

export interface Point {
  x: number;
  y: number;
}

/** Measures text in pixels: a canvas in the page, an estimate in tests. */
export type MeasureText = (text: string, font: 'state' | 'label') => number;

/** A laid-out chart: boxes and polylines in one coordinate space, ready to draw. */
export interface ChartGeometry {
  width: number;
  height: number;
  /** Parents before children, so drawing in order stacks them right. */
  boxes: { id: string; x: number; y: number; width: number; height: number; node: ChartNode | null; region: boolean }[];
  edges: { id: string; points: Point[]; label: { x: number; y: number; width: number; height: number; text: string } | null; kind: ChartEdge['kind'] | 'initial' }[];
}

const STATE_HEIGHT = 34;
const STATE_MIN_WIDTH = 72;
const HEADER = 30;
const LABEL_HEIGHT = 16;
const INITIAL_SIZE = 10;
const ROOT_ID = 'chart:root';

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  // Every coordinate relative to the root, so drawing needs no offsets per container.
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  // Keep the machine's own order of states where the layout allows, so charts read like the code.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
};

// The ELK input for a chart: one box per state (compound states contain their children), a dot for
// each initial state, and one edge per transition target with its label measured.
export function toElkGraph(model: ChartModel, measure: MeasureText, direction: 'DOWN' | 'RIGHT' = 'DOWN'): ElkGraph {
  // Many states leaving by the same event to the same target (every tier on staffing.changed) are
  // labelled once: the label says it, and the layout keeps room for one.
  const labelled = new Set<string>();
  const edges: ElkEdge[] = model.edges.map((edge) => {
    const key = `${edge.target}|${edge.label}`;
    const first = !labelled.has(key);
    labelled.add(key);
    const labels = first ? [{ text: edge.label, width: Math.ceil(measure(edge.label, 'label')) + 8, height: LABEL_HEIGHT }] : [];
    return { id: edge.id, sources: [edge.source], targets: [edge.target], labels };
  });
  const root = toElkNode(model, model.nodes.get(model.rootId)!, measure, edges, direction);
  return { id: ROOT_ID, layoutOptions: { ...ROOT_OPTIONS, 'elk.direction': direction }, children: [root], edges };
}

// Reads ELK's result back into drawable geometry.
export function toGeometry(model: ChartModel, laidOut: ElkGraph): ChartGeometry {
  const boxes: ChartGeometry['boxes'] = [];
  const visit = (node: ElkGraph) => {
    if (node.id !== ROOT_ID && !node.id.endsWith('::initial')) {
      const state = model.nodes.get(node.id) ?? null;
      const region = state !== null && state.parentId !== null && model.nodes.get(state.parentId)?.type === 'parallel';
      boxes.push({ id: node.id, x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0, node: state, region });
    } else if (node.id.endsWith('::initial')) {
      boxes.push({ id: node.id, x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0, node: null, region: false });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(laidOut);
  const kinds = new Map(model.edges.map((edge) => [edge.id, edge.kind]));
  const edges = (laidOut.edges ?? []).map((edge) => {
    const section = edge.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    const label = edge.labels?.[0];
    return {
      id: edge.id,
      points,
      label: label && label.x !== undefined && label.y !== undefined ? { x: label.x, y: label.y, width: label.width, height: label.height, text: label.text } : null,
      kind: kinds.get(edge.id) ?? ('initial' as const),
    };
  });
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, boxes, edges };
}

function toElkNode(model: ChartModel, node: ChartNode, measure: MeasureText, edges: ElkEdge[], direction: string): ElkGraph {
  const labelWidth = Math.ceil(measure(node.key, 'state')) + 28;
  if (node.children.length === 0) return { id: node.id, width: Math.max(STATE_MIN_WIDTH, labelWidth), height: STATE_HEIGHT };
  const children = node.children.map((id) => toElkNode(model, model.nodes.get(id)!, measure, edges, direction));
  if (node.initialId) {
    const dot = `${node.id}::initial`;
    children.unshift({ id: dot, width: INITIAL_SIZE, height: INITIAL_SIZE });
    edges.push({ id: `${dot}->${node.initialId}`, sources: [dot], targets: [node.initialId] });
  }
  return {
    id: node.id,
    children,
    layoutOptions: {
      // The machine's root decides the direction of the whole hierarchy; without one it would be RIGHT.
      'elk.direction': direction,
      'elk.padding': `[top=${HEADER},left=14,bottom=14,right=14]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${labelWidth + 16}, ${HEADER + 20})`,
    },
  };
}
