import { describe, expect, it } from 'vitest';
import { createUnparsed, parseJsonLine } from '../../../../src/adapters/agents/shared/json-line.js';
import { PREVIEW_CHARS, previewText, stripAnsi } from '../../../../src/adapters/agents/shared/preview.js';
import { toPromptArg } from '../../../../src/adapters/agents/shared/prompt-arg.js';

describe('parseJsonLine', () => {
  it('returns the object and its type', () => {
    expect(parseJsonLine('{"type":"init","a":1}')).toEqual({ ok: true, type: 'init', value: { type: 'init', a: 1 } });
  });

  it.each([
    ['not json', 'invalidJson'],
    ['{"type":"init"', 'invalidJson'],
    ['[1,2]', 'schema'],
    ['42', 'schema'],
    ['null', 'schema'],
    ['{"jsonrpc":"2.0","id":1}', 'schema'],
    ['{"type":7}', 'schema'],
  ])('turns %j into agent.unparsed (%s)', (line, reason) => {
    const parsed = parseJsonLine(line);
    expect(parsed).toEqual({ ok: false, event: { type: 'agent.unparsed', reason, line, bytes: line.length } });
  });
});

describe('createUnparsed', () => {
  it('cuts the line to a bounded preview and counts UTF-8 bytes of the whole line', () => {
    const line = 'é'.repeat(5000);
    const event = createUnparsed('invalidJson', line);
    expect(event.line.length).toBe(PREVIEW_CHARS);
    expect(event.line.endsWith('…')).toBe(true);
    expect(event.bytes).toBe(10_000);
  });
});

describe('previewText', () => {
  it('keeps short text and never splits a surrogate pair', () => {
    expect(previewText('short', 10)).toBe('short');
    expect(previewText('ab😀cd', 4)).toBe('ab…');
  });
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[31mred\u001b[0m')).toBe('red');
  });
});

describe('toPromptArg', () => {
  it('prefixes a space only to prompts that look like options', () => {
    expect(toPromptArg('-p')).toBe(' -p');
    expect(toPromptArg('fix - it')).toBe('fix - it');
  });
});
