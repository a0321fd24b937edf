import { describe, expect, it } from 'vitest';
import { createLineFramer, type OversizedLine } from '../../../src/adapters/process/line-framer.js';

function frame(chunks: (string | Buffer)[], maxLineBytes = 1024) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const framer = createLineFramer({ maxLineBytes, onLine: (l) => lines.push(l), onOversized: (o) => oversized.push(o) });
  for (const chunk of chunks) framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  framer.end();
  return { lines, oversized };
}

describe('createLineFramer', () => {
  it.each([
    ['one line per chunk', ['a\n', 'b\n'], ['a', 'b']],
    ['several lines in one chunk', ['a\nb\nc\n'], ['a', 'b', 'c']],
    ['a line split across chunks', ['{"ty', 'pe":', '"x"}\n'], ['{"type":"x"}']],
    ['a newline alone in a chunk', ['abc', '\n', 'def\n'], ['abc', 'def']],
    ['CRLF endings', ['a\r\nb\r', '\n'], ['a', 'b']],
    ['empty lines', ['\n\na\n'], ['', '', 'a']],
    ['a last line without newline, flushed by end()', ['a\nb'], ['a', 'b']],
    ['nothing after the last newline', ['a\n'], ['a']],
    ['a CR inside a line', ['a\rb\n'], ['a\rb']],
  ])('splits %s', (_name, chunks, expected) => {
    expect(frame(chunks).lines).toEqual(expected);
  });

  it('decodes multi-byte characters split at every possible byte boundary', () => {
    const text = 'héllo — 日本語 🎉 done';
    const bytes = Buffer.from(`${text}\n`);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { lines } = frame([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(lines).toEqual([text]);
    }
    const oneByteAtATime = [...bytes].map((b) => Buffer.from([b]));
    expect(frame(oneByteAtATime).lines).toEqual([text]);
  });

  it('accepts a line of exactly maxLineBytes, with or without CR', () => {
    expect(frame(['abcd\n', 'abcd\r\n'], 4).lines).toEqual(['abcd', 'abcd']);
    expect(frame(['ab', 'cd\r', '\n'], 4).lines).toEqual(['abcd']);
  });

  it('reports a line one byte over the cap and keeps framing', () => {
    const { lines, oversized } = frame(['abcde\nok\n'], 4);
    expect(lines).toEqual(['ok']);
    expect(oversized).toEqual([{ bytes: 5, preview: 'abcde' }]);
  });

  it('drops an oversized line spread over many chunks and reports it once, at its newline', () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks: (string | Buffer)[] = ['before\n', 'x'];
    for (let i = 0; i < 100; i++) chunks.push(chunk);
    chunks.push('xx\r\nafter\n');
    const { lines, oversized } = frame(chunks, 1024 * 1024);
    expect(lines).toEqual(['before', 'after']);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]?.bytes).toBe(1 + 100 * chunk.length + 2);
    expect(oversized[0]?.preview).toBe('x'.repeat(200));
  });

  it('does not count the CR of a CRLF that ends a chunk of an oversized line', () => {
    const { oversized } = frame(['x'.repeat(50), 'y'.repeat(50) + '\r', '\n'], 10);
    expect(oversized.map((o) => o.bytes)).toEqual([100]);
  });

  it('reports an oversized line that ends without a newline at end()', () => {
    const { lines, oversized } = frame(['ok\n', 'z'.repeat(300)], 100);
    expect(lines).toEqual(['ok']);
    expect(oversized.map((o) => o.bytes)).toEqual([300]);
  });

  it('cuts the preview at a character boundary', () => {
    const line = `${'a'.repeat(199)}é${'b'.repeat(500)}`;
    const { oversized } = frame([`${line}\n`], 300);
    expect(oversized[0]?.preview).toBe('a'.repeat(199));
    expect(Buffer.byteLength(oversized[0]?.preview ?? '')).toBeLessThanOrEqual(200);
  });

  it('keeps a copy of the preview, not a view of a chunk the caller may reuse', () => {
    const chunk = Buffer.alloc(600, 'q');
    const oversized: OversizedLine[] = [];
    const framer = createLineFramer({ maxLineBytes: 100, onLine: () => {}, onOversized: (o) => oversized.push(o) });
    framer.push(chunk);
    chunk.fill('r');
    framer.push(Buffer.from('\n'));
    expect(oversized[0]?.preview).toBe('q'.repeat(200));
  });

  it('rejects a non-positive cap', () => {
    expect(() => createLineFramer({ maxLineBytes: 0, onLine: () => {}, onOversized: () => {} })).toThrow(RangeError);
  });

  it('frames a typical 300-byte JSONL line in well under 2 µs', () => {
    const line = `{"type":"assistant","message":{"content":[{"type":"text","text":"${'w'.repeat(230)}"}]}}\n`;
    const chunk = Buffer.from(line.repeat(200)); // about 64 KB, one pipe read
    let count = 0;
    const framer = createLineFramer({ maxLineBytes: 1 << 20, onLine: () => count++, onOversized: () => {} });
    for (let i = 0; i < 50; i++) framer.push(chunk); // warm up
    const rounds = 500;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) framer.push(chunk);
    const perLineUs = Number(process.hrtime.bigint() - started) / 1000 / (rounds * 200);
    expect(count).toBe((rounds + 50) * 200);
    // Measured around 0.3 µs; the bound is loose so a loaded machine does not fail the suite.
    expect(perLineUs).toBeLessThan(5);
  });
});
