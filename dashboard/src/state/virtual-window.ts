/** The scroll position and size of a virtual list. */
export interface ViewportInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Rows rendered beyond each edge, so a fast scroll shows no blank band. */
  overscan: number;
  /** Tallest scroll area to ask a browser for; longer lists scroll proportionally within it. */
  maxScrollHeight?: number;
}

/** Which rows to render, and where. */
export interface RowWindow {
  /** First row to render. */
  first: number;
  /** One past the last row to render. */
  end: number;
  /** Where the first rendered row goes, in pixels from the top of the scroll area. */
  offsetY: number;
  /** Height of the scroll area. */
  scrollHeight: number;
}

/** Browsers cap an element's height (Firefox near 17.9 million pixels): stay well under it. */
export const MAX_SCROLL_HEIGHT = 8_000_000;

// The rows to render for a scroll position. Only these become DOM nodes, so 100,000 rows cost what
// a screenful does. Past maxScrollHeight the scroll area is compressed and the position mapped back.
export function computeWindow(input: ViewportInput): RowWindow {
  const { rowHeight, rowCount, overscan } = input;
  const viewport = Math.max(0, input.viewportHeight);
  const content = rowCount * rowHeight;
  const scrollHeight = Math.min(content, input.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
  const scrollTop = clamp(input.scrollTop, 0, Math.max(0, scrollHeight - viewport));
  const virtualTop = scrollTop * ratio(content, scrollHeight, viewport);
  const firstVisible = Math.floor(virtualTop / rowHeight);
  const first = clamp(firstVisible - overscan, 0, rowCount);
  const end = clamp(Math.ceil((virtualTop + viewport) / rowHeight) + overscan, first, rowCount);
  return { first, end, offsetY: scrollTop - (virtualTop - first * rowHeight), scrollHeight };
}

// The scrollTop that brings `row` into view with the least movement (unchanged when it already is).
export function scrollTopForRow(row: number, input: Omit<ViewportInput, 'overscan'>): number {
  const { rowHeight, rowCount } = input;
  const viewport = Math.max(0, input.viewportHeight);
  const content = rowCount * rowHeight;
  const scrollHeight = Math.min(content, input.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
  const r = ratio(content, scrollHeight, viewport);
  const virtualTop = input.scrollTop * r;
  const rowTop = row * rowHeight;
  let target = virtualTop;
  if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewport) target = rowTop + rowHeight - viewport;
  return clamp(target / r, 0, Math.max(0, scrollHeight - viewport));
}

// True when the list is scrolled to its end (within a row), so new rows should keep it there.
export function isAtEnd(scrollTop: number, viewportHeight: number, scrollHeight: number, rowHeight: number): boolean {
  return scrollTop + viewportHeight >= scrollHeight - rowHeight;
}

// How many content pixels one scroll pixel stands for.
function ratio(content: number, scrollHeight: number, viewport: number): number {
  if (content <= scrollHeight || scrollHeight <= viewport) return 1;
  return (content - viewport) / (scrollHeight - viewport);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
