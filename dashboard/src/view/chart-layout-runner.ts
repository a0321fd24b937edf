import elkUrl from 'elkjs/lib/elk.bundled.js?url';
import { toElkGraph, toGeometry, type ChartGeometry, type ElkGraph } from '../state/chart-layout.js';
import type { ChartModel } from '../state/derive-chart.js';
import { createMeasure } from './chart-svg.js';

interface ElkLike {
  layout(graph: ElkGraph): Promise<ElkGraph>;
}

let elk: Promise<ElkLike> | undefined;
const layouts = new Map<string, Promise<ChartGeometry>>();

// Lays a machine's chart out with ELK, once per machine (every actor of a machine shares it), top
// down and left to right, and keeps the one that fits a `box` (the canvas) at the larger scale.
// elkjs's bundled build runs in the page without a worker, and is loaded only when a chart is first opened.
export function layoutChart(name: string, model: ChartModel, box: { width: number; height: number }): Promise<ChartGeometry> {
  let layout = layouts.get(name);
  if (!layout) {
    layout = run(model, box);
    layouts.set(name, layout);
    // A failed layout may succeed later (a chunk that failed to load, say): do not keep the failure.
    layout.catch(() => layouts.delete(name));
  }
  return layout;
}

// Forgets laid-out charts (the machines changed: another session).
export function clearLayouts(): void {
  layouts.clear();
}

async function run(model: ChartModel, box: { width: number; height: number }): Promise<ChartGeometry> {
  elk ??= loadElk();
  const engine = await elk;
  const measure = createMeasure();
  const [down, right] = await Promise.all([engine.layout(toElkGraph(model, measure, 'DOWN')), engine.layout(toElkGraph(model, measure, 'RIGHT'))]);
  const fit = (g: ElkGraph) => Math.min(box.width / (g.width || 1), box.height / (g.height || 1));
  return toGeometry(model, fit(right) > fit(down) * 1.1 ? right : down);
}

// elkjs's bundled build is already minified and self-contained: it is shipped as it is (bundling
// it again costs most of the build) and run as a classic script, which defines window.ELK.
function loadElk(): Promise<ElkLike> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = elkUrl;
    script.async = true;
    script.addEventListener('load', () => {
      const ELK = (window as unknown as { ELK?: new () => ElkLike }).ELK;
      if (ELK) resolve(new ELK());
      else reject(new Error('the layout engine did not load'));
    });
    script.addEventListener('error', () => {
      elk = undefined;
      script.remove();
      reject(new Error('the layout engine could not be fetched'));
    });
    document.head.append(script);
  });
}
