import { describe, expect, it } from 'vitest';
import { computeWindow, isAtEnd, scrollTopForRow } from '../../dashboard/src/state/virtual-window.js';

const base = { viewportHeight: 480, rowHeight: 24, overscan: 5 };

describe('computeWindow', () => {
  it('renders a screenful plus the overscan at the top, clamped at row 0', () => {
    expect(computeWindow({ ...base, scrollTop: 0, rowCount: 100_000 })).toEqual({ first: 0, end: 25, offsetY: 0, scrollHeight: 2_400_000 });
  });

  it('renders only the rows around the scroll position of a 100,000-row list', () => {
    const win = computeWindow({ ...base, scrollTop: 24 * 50_000 + 10, rowCount: 100_000 });
    expect(win.first).toBe(49_995);
    expect(win.end).toBe(50_026);
    expect(win.end - win.first).toBeLessThanOrEqual(480 / 24 + 1 + 2 * 5);
    // The first rendered row sits where it would in the full list.
    expect(win.offsetY).toBe(49_995 * 24);
  });

  it('ends at the last row and never past it', () => {
    const win = computeWindow({ ...base, scrollTop: 1e9, rowCount: 1000 });
    expect(win.end).toBe(1000);
    expect(win.first).toBe(1000 - 20 - 5);
  });

  it('handles an empty list and a list shorter than the viewport', () => {
    expect(computeWindow({ ...base, scrollTop: 0, rowCount: 0 })).toEqual({ first: 0, end: 0, offsetY: 0, scrollHeight: 0 });
    expect(computeWindow({ ...base, scrollTop: 300, rowCount: 3 })).toMatchObject({ first: 0, end: 3, offsetY: 0 });
  });

  it('compresses a list taller than the browser allows, and still reaches the last row', () => {
    const input = { ...base, rowCount: 1_000_000, maxScrollHeight: 1_000_000 };
    const top = computeWindow({ ...input, scrollTop: 0 });
    expect(top.scrollHeight).toBe(1_000_000);
    const bottom = computeWindow({ ...input, scrollTop: 1_000_000 - 480 });
    expect(bottom.end).toBe(1_000_000);
    // Rows still land in the viewport: the last row's bottom is the viewport's bottom.
    expect(bottom.offsetY + (bottom.end - bottom.first) * 24).toBeCloseTo(1_000_000, 5);
  });
});

describe('scrollTopForRow', () => {
  const view = { viewportHeight: 480, rowHeight: 24, rowCount: 1000 };

  it('leaves the position alone when the row is visible', () => {
    expect(scrollTopForRow(10, { ...view, scrollTop: 0 })).toBe(0);
  });

  it('scrolls up to a row above, and down just enough to show a row below', () => {
    expect(scrollTopForRow(5, { ...view, scrollTop: 2400 })).toBe(120);
    expect(scrollTopForRow(30, { ...view, scrollTop: 0 })).toBe(31 * 24 - 480);
  });
});

describe('isAtEnd', () => {
  it('is true within a row of the end', () => {
    expect(isAtEnd(1520, 480, 2000, 24)).toBe(true);
    expect(isAtEnd(1500, 480, 2000, 24)).toBe(true);
    expect(isAtEnd(1400, 480, 2000, 24)).toBe(false);
  });
});
