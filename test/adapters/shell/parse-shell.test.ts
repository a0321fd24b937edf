import { describe, expect, it } from 'vitest';
import { createShellParser } from '../../../src/adapters/shell/index.js';
import { describeWord, getLiteral, type ShellScript, type ShellWord } from '../../../src/domain/index.js';

const parse = createShellParser();

function parsed(source: string): ShellScript {
  const result = parse(source);
  if (!result.ok) throw new Error(`did not parse: ${result.error}`);
  return result.script;
}

// Each command's words as a person reads them: literal text as is, the rest as the shell wrote it.
function commandLines(source: string): string[] {
  return parsed(source).commands.map((command) => command.words.map(describeWord).join(' '));
}

function firstWords(source: string): ShellWord[] {
  return parsed(source).commands.at(-1)?.words ?? [];
}

describe('createShellParser', () => {
  it.each([
    ['git commit -m "fix: the thing"', ['git commit -m fix: the thing']],
    ['npm test && npm run build || echo failed', ['npm test', 'npm run build', 'echo failed']],
    ['a; b & c | d |& e', ['a', 'b', 'c', 'd', 'e']],
    ['(cd sub && make) && { ls; }', ['cd sub', 'make', 'ls']],
    ['if a; then b; elif c; then d; else e; fi', ['a', 'b', 'c', 'd', 'e']],
    ['for f in *.ts; do echo "$f"; done', ['echo $f']],
    ['while read l; do x; done < list', ['read l', 'x']],
    ['case $x in a) y;; *) z;; esac', ['y', 'z']],
    ['f() { rm -rf /x; }; f', ['rm -rf /x', 'f']],
    ['time ls', ['ls']],
    ['export A=1 B; local c', ['export B', 'local c']],
    ['echo $(id) `whoami` <(ls)', ['id', 'whoami', 'ls', 'echo $(…) $(…) <(…)']],
    ['echo ${x:-$(rm -rf /x)}', ['rm -rf /x', 'echo ${…}']],
    ['[[ -n $(date) ]]', ['date']],
    ['x=$((1 + $(id -u)))', ['id -u', '']],
    ['cat <<EOF\n$(rm -rf /x)\nEOF', ['rm -rf /x', 'cat']],
  ])('finds every simple command in %j', (source, expected) => {
    expect(commandLines(source)).toEqual(expected);
  });

  it.each([
    ['\\rm', 'rm'],
    ['r""m', 'rm'],
    ["'r'm", 'rm'],
    ['"a\\"b\\$c\\d"', 'a"b$c\\d'],
    ["'a\\b'", 'a\\b'],
    ['\\*', '*'],
    ['"*.ts"', '*.ts'],
    ['{}', '{}'],
    ['[', '['],
    ['a\\\nb', 'ab'],
  ])('reads %j as the literal %j', (source, literal) => {
    expect(getLiteral(firstWords(`echo ${source}`)[1] as ShellWord)).toBe(literal);
  });

  it.each([
    ['$P', [{ type: 'variable', name: 'P' }]],
    ['${HOME}/.ssh', [{ type: 'variable', name: 'HOME' }, { type: 'text', value: '/.ssh' }]],
    ['~/.aws', [{ type: 'variable', name: 'HOME' }, { type: 'text', value: '/.aws' }]],
    ['"~/x"', [{ type: 'text', value: '~/x' }]],
    ['~root/x', [{ type: 'expansion', kind: 'tilde' }, { type: 'text', value: '/x' }]],
    ['${!x}', [{ type: 'expansion', kind: 'parameter' }]],
    ['$1', [{ type: 'expansion', kind: 'parameter' }]],
    ['$(echo rm)', [{ type: 'expansion', kind: 'command' }]],
    ['`echo rm`', [{ type: 'expansion', kind: 'command' }]],
    ['$((1+1))', [{ type: 'expansion', kind: 'arithmetic' }]],
    ["$'\\x72m'", [{ type: 'expansion', kind: 'escapes' }]],
    ["$'rm'", [{ type: 'text', value: 'rm' }]],
    ['/etc/*.conf', [{ type: 'text', value: '/etc/' }, { type: 'expansion', kind: 'pattern' }]],
    ['{r,m}', [{ type: 'expansion', kind: 'pattern' }]],
    ["{rm,'x'}", [{ type: 'expansion', kind: 'pattern' }]],
    ['a{1..3}', [{ type: 'text', value: 'a' }, { type: 'expansion', kind: 'pattern' }]],
    ['x[ab]', [{ type: 'text', value: 'x' }, { type: 'expansion', kind: 'pattern' }]],
    ['@(a|b)', [{ type: 'expansion', kind: 'pattern' }]],
  ])('keeps what %j computes at run time apart', (source, parts) => {
    expect(firstWords(`echo ${source}`)[1]?.parts).toEqual(parts);
  });

  it('keeps a no-break space inside the word, as bash does', () => {
    expect(firstWords('rm\u00a0-rf /x').map(getLiteral)).toEqual(['rm\u00a0-rf', '/x']);
  });

  it.each([
    ['curl x | sh', { from: 'pipe' }],
    ['x | { bash; }', { from: 'pipe' }],
    ['sh < script.sh', { from: 'file' }],
    ["bash <<< 'rm -rf /x'", { from: 'text', text: { parts: [{ type: 'text', value: 'rm -rf /x' }] } }],
    ["bash <<'E'\n$(rm) *\nE", { from: 'text', text: { parts: [{ type: 'text', value: '$(rm) *\n' }] } }],
    ['bash <<E\n\\$x $y\nE', { from: 'text', text: { parts: [{ type: 'text', value: '$x ' }, { type: 'variable', name: 'y' }, { type: 'text', value: '\n' }] } }],
    ['sh', { from: 'inherited' }],
  ])('knows where the input of %j comes from', (source, stdin) => {
    expect(parsed(source).commands.at(-1)?.stdin).toEqual(stdin);
  });

  it('lists redirections to and from files, not descriptor copies', () => {
    const { redirections } = parsed('a > out 2>> log < in &> all 2>&1 >&2 3<>rw; { b; } > block; exec 3>/etc/x');
    expect(redirections.map((redirection) => `${redirection.op}${describeWord(redirection.target)}`)).toEqual([
      '>out',
      '>>log',
      '<in',
      '&>all',
      '>&1',
      '>&2',
      '<>rw',
      '>block',
      '>/etc/x',
    ]);
  });

  it.each([
    ['sleep 1 &', ['background']],
    ['(a)', ['subshell']],
    ['f() { a; }', ['function']],
    ['cat <<E\nx\nE', ['hereDoc']],
    ['coproc cat', ['coprocess']],
    ['echo $(a) <(b)', ['commandSubstitution', 'processSubstitution']],
    ["echo $[ x='a[$(touch F)]', x ]", ['arithmeticEvaluation']],
    ['echo $(( $(echo 1) ))', ['commandSubstitution', 'arithmeticEvaluation']],
    ["(( x = 'a[$(id)]' ))", ['arithmeticEvaluation']],
    ["[[ 1 -eq 'a[$(id)]' ]]", ['arithmeticEvaluation']],
    ['echo ${x@P}', ['promptExpansion']],
    ['echo ${x@Q} $((1 + y))', []],
  ])('notes the constructs of %j', (source, constructs) => {
    expect(parsed(source).constructs).toEqual(constructs);
  });

  it.each(['echo "unterminated', 'a &&', 'if true; then', 'echo $((', 'cat <(', ')'])('refuses %j, which bash would refuse too', (source) => {
    const result = parse(source);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).not.toBe('');
  });

  it('refuses a command longer than its limit without parsing it', () => {
    const result = createShellParser({ maxLength: 10 })('echo 12345678901');
    expect(result).toEqual({ ok: false, error: 'it is longer than 10 characters' });
  });

  it('answers a repeated command from its cache', () => {
    const cached = createShellParser({ cacheSize: 2 });
    const first = cached('ls -la');
    expect(cached('ls -la')).toBe(first);
    cached('a');
    cached('b');
    expect(cached('ls -la')).not.toBe(first);
  });
});
