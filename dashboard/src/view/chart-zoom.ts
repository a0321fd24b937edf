import { button, h, setText } from './dom.js';

/** Below this scale a fitted chart's labels are unreadable, so it opens at READABLE_SCALE instead. */
const MIN_FIT_SCALE = 0.7;
const READABLE_SCALE = 0.8;
const ZOOM_STEPS = [0.5, 0.65, 0.8, 1, 1.25, 1.5];

// Zoom: fit to the pane (never enlarged), or a fixed scale; − and + step through ZOOM_STEPS.
export function createZoom(canvas: HTMLElement) {
  let scale: number | null = null;
  let natural = { width: 0, height: 0 };
  const label = h('span', { class: 'zoom-label', 'aria-live': 'polite' });
  const apply = () => {
    const svg = canvas.querySelector<SVGSVGElement>('svg.chart');
    canvas.classList.toggle('zoomed', scale !== null);
    setText(label, `${Math.round((scale ?? fitScale()) * 100)}%`);
    if (!svg) return;
    // Sizes go through the CSSOM: the page's CSP refuses style attributes, not style properties.
    svg.style.width = scale === null ? '' : `${natural.width * scale}px`;
    svg.style.height = scale === null ? '' : `${natural.height * scale}px`;
    svg.style.maxWidth = scale === null ? `${natural.width}px` : '';
    svg.style.maxHeight = scale === null ? `${natural.height}px` : '';
  };
  const step = (direction: 1 | -1) => () => {
    const current = scale ?? fitScale();
    const next = direction > 0 ? ZOOM_STEPS.find((z) => z > current + 0.01) : [...ZOOM_STEPS].reverse().find((z) => z < current - 0.01);
    scale = next ?? current;
    apply();
  };
  const fitScale = () => Math.min(1, canvas.clientWidth / (natural.width || 1), canvas.clientHeight / (natural.height || 1));
  const element = h(
    'div',
    { class: 'zoom', role: 'group', 'aria-label': 'Zoom' },
    button('−', step(-1), { class: 'btn btn-small btn-quiet', 'aria-label': 'Zoom out' }),
    button('Fit', () => ((scale = null), apply()), { class: 'btn btn-small btn-quiet', 'aria-label': 'Fit to the pane' }),
    button('+', step(1), { class: 'btn btn-small btn-quiet', 'aria-label': 'Zoom in' }),
    label,
  );
  return {
    element,
    /** A new chart: fitted when it stays readable, else at a readable scale. */
    reset(geometry: { width: number; height: number }) {
      natural = { width: geometry.width, height: geometry.height };
      scale = fitScale() < MIN_FIT_SCALE ? READABLE_SCALE : null;
      apply();
    },
  };
}

// Dragging the canvas scrolls it, for charts larger than the pane.
export function enablePan(canvas: HTMLElement): void {
  let from: { x: number; y: number; left: number; top: number } | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || canvas.scrollWidth <= canvas.clientWidth && canvas.scrollHeight <= canvas.clientHeight) return;
    from = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop };
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add('panning');
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!from) return;
    canvas.scrollLeft = from.left - (event.clientX - from.x);
    canvas.scrollTop = from.top - (event.clientY - from.y);
  });
  const end = () => {
    from = null;
    canvas.classList.remove('panning');
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}
