import type { ShellParser, ShellParseResult } from '../../domain/index.js';
import { describeParseError, loadShellLibrary, type ShellLibrary } from './mvdan-library.js';
import { readScript } from './read-script.js';

/*
 * The shell parser behind the policy's ShellParser: mvdan/sh (the parser of shfmt), through the
 * mvdan-sh package. It parses bash as bash does (here-documents, `$[…]`, process substitution,
 * `${x/a/$(id)}`), runs synchronously, and throws on anything that is not valid bash, which the
 * policy turns into "cannot tell what this runs". Its author deprecated it for sh-syntax (the same
 * parser built to WASM), but sh-syntax 0.7 returns a syntax tree without the commands in it and
 * takes ~18 ms a call; @ericcornelissen/bash-parser reads a here-document's lines as commands and
 * misses `$(…)` inside `${…}`. So mvdan-sh stays, pinned, and checked when it loads.
 */

export interface ShellParserOptions {
  /** Parses of this many distinct commands are kept: agents run the same commands again and again. */
  cacheSize?: number;
  /** Longer commands are not parsed (and so never allowed). */
  maxLength?: number;
}

const DEFAULT_CACHE_SIZE = 512;
const DEFAULT_MAX_LENGTH = 128 * 1024;
/** What a command that passes through every layer must read as, or the library is not trusted. */
const SELF_CHECK = 'A=1 timeout 1 rm -rf "/x" $(id) > out | sh';

// A ShellParser with a cache of recent parses. Loads the library on first use of the process.
export function createShellParser(options: ShellParserOptions = {}): ShellParser {
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const library = getCheckedLibrary();
  const cache = new Map<string, ShellParseResult>();
  return (source) => {
    const cached = cache.get(source);
    if (cached) {
      // Map order is insertion order: moving the entry to the end makes eviction least-recently-used.
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const result = source.length > maxLength ? refuse(`it is longer than ${maxLength} characters`) : parseWith(library, source);
    cache.set(source, result);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    return result;
  };
}

function parseWith(library: ShellLibrary | Error, source: string): ShellParseResult {
  if (library instanceof Error) return refuse(`the shell parser is unavailable: ${library.message}`);
  try {
    return { ok: true, script: readScript(library.parse(source), library.operators) };
  } catch (error) {
    return refuse(describeParseError(error));
  }
}

function refuse(error: string): ShellParseResult {
  return { ok: false, error };
}

let checked: ShellLibrary | Error | undefined;

// The library, once it has read a known command exactly as expected.
function getCheckedLibrary(): ShellLibrary | Error {
  if (checked) return checked;
  const library = loadShellLibrary();
  if (library instanceof Error) return (checked = library);
  const result = parseWith(library, SELF_CHECK);
  checked = result.ok && JSON.stringify(result.script) === expectedSelfCheck() ? library : new Error('mvdan-sh did not read a known command as expected');
  return checked;
}

function expectedSelfCheck(): string {
  const text = (value: string) => ({ parts: [{ type: 'text', value }] });
  return JSON.stringify({
    commands: [
      { words: [text('id')], assignments: [], stdin: { from: 'inherited' } },
      { words: [...['timeout', '1', 'rm', '-rf', '/x'].map(text), { parts: [{ type: 'expansion', kind: 'command' }] }], assignments: [{ name: 'A', value: text('1') }], stdin: { from: 'inherited' } },
      { words: [text('sh')], assignments: [], stdin: { from: 'pipe' } },
    ],
    redirections: [{ op: '>', target: text('out') }],
    otherWords: [],
    constructs: ['commandSubstitution'],
  });
}
