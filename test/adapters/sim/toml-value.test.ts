import { describe, expect, it } from 'vitest';
import { parseTomlValue } from '../../../src/adapters/sim/toml-value.js';

describe('parseTomlValue', () => {
  it.each([
    ['"a \\"quoted\\" \\\\ path"', 'a "quoted" \\ path'],
    ["'literal \\n'", 'literal \\n'],
    ['["a", \'b\' , "c"]', ['a', 'b', 'c']],
    ['{A="1", "B.C" = \'2\', D=[ "x" ]}', { A: '1', 'B.C': '2', D: ['x'] }],
    ['true', true],
    ['42', 42],
    ['never', 'never'],
  ])('reads %s', (text, value) => {
    expect(parseTomlValue(text)).toEqual(value);
  });

  it.each(['"unterminated', '[1, 2', '{A=}', '"a" trailing'])('takes %s, which is not TOML, as the raw string (as Codex does)', (text) => {
    expect(parseTomlValue(text)).toBe(text);
  });
});
