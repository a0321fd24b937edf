import { describe, expect, it } from 'vitest';
import { clipJson } from '../../src/runtime/dashboard/clip-json.js';

describe('clipJson', () => {
  it('copies a value that fits whole, as plain JSON', () => {
    const value = { a: 1, nested: { list: [1, 2, 3] }, when: new Date(0), skipped: undefined };
    const copy = clipJson(value, 1000);
    expect(copy).toEqual({ value: { a: 1, nested: { list: [1, 2, 3] }, when: '1970-01-01T00:00:00.000Z' }, json: JSON.stringify(value), clipped: false });
    expect(copy.value).not.toBe(value);
  });

  it('cuts long strings and lists, saying how much, when the whole does not fit', () => {
    const copy = clipJson({ prompt: 'p'.repeat(5000), items: Array.from({ length: 100 }, (_, i) => i) }, 1000);
    expect(copy.clipped).toBe(true);
    expect(copy.json.length).toBeLessThanOrEqual(1000);
    const value = copy.value as { prompt: string; items: unknown[] };
    expect(value.prompt).toMatch(/^p+… \(\d+ more chars\)$/);
    expect(value.items.at(-1)).toMatch(/… \(\d+ more items\)/);
  });

  it('falls back to an outline of the top level when cutting is not enough', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key${i}`, 'v'.repeat(100)]));
    const copy = clipJson(wide, 2000);
    expect(copy.clipped).toBe(true);
    expect((copy.value as Record<string, string>).key7).toBe('(string, 102 chars)');
  });

  it('describes what cannot be serialized instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(clipJson(cyclic, 1000).value).toMatch(/^\(not serializable: /);
    expect(clipJson(undefined, 1000)).toEqual({ value: undefined, json: '', clipped: false });
  });
});
