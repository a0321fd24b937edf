import type { ChartGeometry, MeasureText, Point } from '../state/chart-layout.js';
import { s, setAttr } from './dom.js';

/** Fonts of the chart's text; the stylesheet's .state-label and .edge-label use the same. */
const FONTS = {
  state: '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  label: '11px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
} as const;

// Measures text with a canvas in the page's fonts, so ELK sizes boxes and labels to fit.
export function createMeasure(): MeasureText {
  const context = document.createElement('canvas').getContext('2d');
  return (text, font) => {
    if (!context) return text.length * (font === 'state' ? 7.5 : 6.6);
    context.font = FONTS[font];
    return context.measureText(text).width;
  };
}

/** A drawn chart, and the handles to light its states and edges. */
export interface DrawnChart {
  svg: SVGSVGElement;
  light(active: ReadonlySet<string>, taken: ReadonlySet<string>): void;
}

// Draws a laid-out chart as SVG: states (compound ones holding their children, parallel regions
// dashed, final ones doubled), initial dots, and transitions with their event labels.
export function drawChart(geometry: ChartGeometry, title: string): DrawnChart {
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${geometry.width} ${geometry.height}`, width: geometry.width, height: geometry.height, role: 'img', 'aria-label': title, 'data-testid': 'statechart' });
  svg.append(defs());
  const nodes = new Map<string, SVGGElement>();
  const edges = new Map<string, SVGGElement>();
  for (const box of geometry.boxes) {
    const group = box.node ? stateBox(box) : initialDot(box);
    if (box.node) nodes.set(box.id, group);
    svg.append(group);
  }
  for (const edge of geometry.edges) {
    const group = s('g', { class: 'edge', 'data-edge-id': edge.id, 'data-kind': edge.kind }, s('path', { d: roundedPath(edge.points), 'marker-end': 'url(#arrow)' }));
    if (edge.label) {
      const { x, y, width, height, text } = edge.label;
      group.append(s('rect', { class: 'edge-label-bg', x, y, width, height, rx: 3 }), s('text', { class: 'edge-label', x: x + width / 2, y: y + height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, text));
    }
    edges.set(edge.id, group);
    svg.append(group);
  }
  return {
    svg,
    light(active, taken) {
      for (const [id, group] of nodes) setAttr(group, 'data-active', active.has(id) ? 'true' : null);
      for (const [id, group] of edges) setAttr(group, 'data-taken', taken.has(id) ? 'true' : null);
    },
  };
}

function stateBox(box: ChartGeometry['boxes'][number]): SVGGElement {
  const node = box.node!;
  const compound = node.children.length > 0;
  const group = s('g', { class: 'state', 'data-node-id': node.id, 'data-type': node.type, 'data-region': box.region ? 'true' : null, 'data-compound': compound ? 'true' : null });
  group.append(s('rect', { class: 'state-box', x: box.x, y: box.y, width: box.width, height: box.height, rx: compound ? 10 : 8 }));
  if (node.type === 'final') group.append(s('rect', { class: 'state-final', x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6, rx: 6 }));
  const label = compound
    ? s('text', { class: 'state-label', x: box.x + 12, y: box.y + 19 }, node.key)
    : s('text', { class: 'state-label', x: box.x + box.width / 2, y: box.y + box.height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, node.key);
  if (node.type === 'parallel') label.append(s('tspan', { class: 'state-kind' }, '  parallel'));
  group.append(label, s('title', {}, describeNode(node)));
  return group;
}

function initialDot(box: ChartGeometry['boxes'][number]): SVGGElement {
  return s('g', { class: 'initial' }, s('circle', { cx: box.x + box.width / 2, cy: box.y + box.height / 2, r: box.width / 2 }));
}

function describeNode(node: NonNullable<ChartGeometry['boxes'][number]['node']>): string {
  const lines = [node.id, `type: ${node.type}`];
  if (node.invokes.length) lines.push(`invokes: ${node.invokes.join(', ')}`);
  if (node.entry.length) lines.push(`entry: ${node.entry.join(', ')}`);
  if (node.exit.length) lines.push(`exit: ${node.exit.join(', ')}`);
  if (node.internal.length) lines.push(`handles without leaving: ${node.internal.join(', ')}`);
  return lines.join('\n');
}

// A polyline with its corners rounded.
function roundedPath(points: Point[], radius = 6): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M${first!.x},${first!.y}`;
  rest.forEach((point, i) => {
    const next = rest[i + 1];
    if (!next) return void (d += ` L${point.x},${point.y}`);
    const previous = i === 0 ? first! : rest[i - 1]!;
    const r = Math.min(radius, distance(previous, point) / 2, distance(point, next) / 2);
    const before = toward(point, previous, r);
    const after = toward(point, next, r);
    d += ` L${before.x},${before.y} Q${point.x},${point.y} ${after.x},${after.y}`;
  });
  return d;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function toward(from: Point, to: Point, length: number): Point {
  const d = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) * length) / d, y: from.y + ((to.y - from.y) * length) / d };
}

function defs(): SVGDefsElement {
  const arrow = (id: string) =>
    s('marker', { id, class: id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z' }));
  // The stylesheet switches a taken edge to the lit arrow.
  return s('defs', {}, arrow('arrow'), arrow('arrow-lit'));
}
