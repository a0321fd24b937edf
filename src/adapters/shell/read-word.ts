import { literalWord, type ExpansionKind, type ShellConstruct, type ShellWord, type StdinSource, type WordPart } from '../../domain/index.js';
import { getItems, getNode, getNodeType, getString, type GoNode } from './go-values.js';

/*
 * One word of the syntax tree as the policy reads it: quotes removed, escapes resolved, and what
 * the shell computes at run time kept apart. Unquoted glob and brace characters make the rest of
 * the word a pattern; an unquoted leading `~` is $HOME.
 */

/** Where a word sits: arithmetic and [[ ]] evaluate strings that can hide commands. */
export interface ReadContext {
  stdin: StdinSource;
  arithmetic: boolean;
  test: boolean;
}

/** What reading a word needs from the script reader: nested commands and arithmetic are read too. */
export interface WordReader {
  statements(list: unknown, context: ReadContext): void;
  arithmetic(expression: unknown, context: ReadContext): void;
  note(construct: ShellConstruct): void;
  parameterAt: number;
}

/** A character of a word, and whether the shell may still give it a meaning (unquoted, unescaped). */
type Piece = { char: string; active: boolean } | WordPart;

const PLAIN_UNQUOTED = /^[^\\*?[{~]*$/;
const DOUBLE_QUOTE_ESCAPABLE = '$`"\\\n';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Reads a word (arguments, assigned values, redirection targets, here-strings).
export function readWord(word: GoNode, context: ReadContext, reader: WordReader): ShellWord {
  const parts = getItems(word.Parts);
  const only = parts[0];
  if (parts.length === 1 && only && getNodeType(only) === 'Lit') {
    const value = getString(only.Value);
    if (PLAIN_UNQUOTED.test(value)) return literalWord(value);
  }
  const pieces: Piece[] = [];
  for (const part of parts) readPart(part, false, context, reader, pieces);
  return toShellWord(pieces);
}

// A here-document's body: expanded like a double-quoted string, or taken as is when its delimiter is quoted.
export function readHereDocument(body: GoNode, delimiter: GoNode, context: ReadContext, reader: WordReader): ShellWord {
  const delimiterParts = getItems(delimiter.Parts);
  const quoted = delimiterParts.some((part) => getNodeType(part) !== 'Lit' || getString(part.Value).includes('\\'));
  if (quoted) return literalWord(getItems(body.Parts).map((part) => getString(part.Value)).join(''));
  const pieces: Piece[] = [];
  for (const part of getItems(body.Parts)) readPart(part, true, context, reader, pieces);
  return toShellWord(pieces);
}

function readPart(part: GoNode, quoted: boolean, context: ReadContext, reader: WordReader, pieces: Piece[]): void {
  switch (getNodeType(part)) {
    case 'Lit': {
      const value = getString(part.Value);
      if (context.test && /\$\(|`/.test(value)) reader.note('arithmeticEvaluation');
      return quoted ? pushDoubleQuoted(value, pieces) : pushUnquoted(value, pieces);
    }
    case 'SglQuoted': {
      const value = getString(part.Value);
      if (context.arithmetic || (context.test && /\$\(|`/.test(value))) reader.note('arithmeticEvaluation');
      if (part.Dollar === true && value.includes('\\')) pieces.push(expansion('escapes'));
      else for (const char of value) pieces.push({ char, active: false });
      return;
    }
    case 'DblQuoted':
      if (context.arithmetic) reader.note('arithmeticEvaluation');
      for (const inner of getItems(part.Parts)) readPart(inner, true, context, reader, pieces);
      return;
    case 'ParamExp':
      pieces.push(readParameter(part, context, reader));
      return;
    case 'CmdSubst':
      reader.note('commandSubstitution');
      // Arithmetic evaluates a substitution's output as an expression, which can run more commands.
      if (context.arithmetic) reader.note('arithmeticEvaluation');
      reader.statements(part.Stmts, { ...context, arithmetic: false, test: false });
      pieces.push(expansion('command'));
      return;
    case 'ProcSubst':
      reader.note('processSubstitution');
      reader.statements(part.Stmts, { ...context, arithmetic: false, test: false });
      pieces.push(expansion('process'));
      return;
    case 'ArithmExp':
      reader.arithmetic(part.X, context);
      pieces.push(expansion('arithmetic'));
      return;
    case 'ExtGlob':
    case 'BraceExp':
      pieces.push(expansion('pattern'));
      return;
    default:
      reader.note('unknownSyntax');
      pieces.push(expansion('unknown'));
  }
}

// $NAME and ${NAME} are variables; every other parameter expansion is only known at run time.
// Its nested words and arithmetic are read for the commands they may run.
function readParameter(part: GoNode, context: ReadContext, reader: WordReader): WordPart {
  const index = part.Index;
  const slice = getNode(part, 'Slice');
  const replace = getNode(part, 'Repl');
  const operation = getNode(part, 'Exp');
  if (getNodeType(index)) reader.arithmetic(index, context);
  if (slice) for (const field of ['Offset', 'Length']) reader.arithmetic(slice[field], context);
  for (const field of ['Orig', 'With']) {
    const word = replace && getNode(replace, field);
    if (word) readWord(word, context, reader);
  }
  const operand = operation && getNode(operation, 'Word');
  const argument = operand ? readWord(operand, context, reader) : undefined;
  if (operation?.Op === reader.parameterAt && argument?.parts.some((piece) => piece.type !== 'text' || piece.value.includes('P'))) reader.note('promptExpansion');
  const name = getString(getNode(part, 'Param')?.Value);
  const plain = !part.Excl && !part.Length && !part.Width && !part.Names && !getNodeType(index) && !slice && !replace && !operation;
  return plain && NAME.test(name) ? { type: 'variable', name } : expansion('parameter');
}

function pushUnquoted(value: string, pieces: Piece[]): void {
  for (let at = 0; at < value.length; at++) {
    const char = value[at] as string;
    if (char === '\\' && at + 1 < value.length) pieces.push({ char: value[++at] as string, active: false });
    else pieces.push({ char, active: true });
  }
}

// Inside double quotes a backslash escapes only $ ` " \ and a newline (which it removes).
function pushDoubleQuoted(value: string, pieces: Piece[]): void {
  for (let at = 0; at < value.length; at++) {
    const char = value[at] as string;
    const next = value[at + 1];
    if (char === '\\' && next !== undefined && DOUBLE_QUOTE_ESCAPABLE.includes(next)) {
      at++;
      if (next !== '\n') pieces.push({ char: next, active: false });
    } else {
      pieces.push({ char, active: false });
    }
  }
}

function expansion(kind: ExpansionKind): WordPart {
  return { type: 'expansion', kind };
}

function toShellWord(pieces: Piece[]): ShellWord {
  expandTilde(pieces);
  const pattern = findPattern(pieces);
  const kept = pattern === undefined ? pieces : [...pieces.slice(0, pattern), expansion('pattern')];
  const parts: WordPart[] = [];
  for (const piece of kept) {
    const last = parts.at(-1);
    if (!('char' in piece)) parts.push(piece);
    else if (last?.type === 'text') last.value += piece.char;
    else parts.push({ type: 'text', value: piece.char });
  }
  return { parts };
}

// An unquoted `~` at the start, up to the first `/`: alone it is $HOME; `~user`, `~+`, `~-` are only known at run time.
function expandTilde(pieces: Piece[]): void {
  const first = pieces[0];
  if (!first || !('char' in first) || first.char !== '~' || !first.active) return;
  let end = 1;
  while (end < pieces.length) {
    const piece = pieces[end] as Piece;
    if (!('char' in piece) || !piece.active) return;
    if (piece.char === '/') break;
    end++;
  }
  pieces.splice(0, end, end === 1 ? { type: 'variable', name: 'HOME' } : expansion('tilde'));
}

// Where the first unquoted glob (`*`, `?`, `[…]`) or brace expansion (`{a,b}`, `{1..3}`) starts.
function findPattern(pieces: readonly Piece[]): number | undefined {
  const isActive = (piece: Piece | undefined, char: string) => piece !== undefined && 'char' in piece && piece.active && piece.char === char;
  for (let at = 0; at < pieces.length; at++) {
    const piece = pieces[at] as Piece;
    if (!('char' in piece) || !piece.active) continue;
    if (piece.char === '*' || piece.char === '?') return at;
    if (piece.char === '[' && pieces.slice(at + 1).some((later) => 'char' in later && later.char === ']')) return at;
    if (piece.char === '{') {
      const close = pieces.findIndex((later, index) => index > at && isActive(later, '}'));
      const inside = close < 0 ? [] : pieces.slice(at + 1, close);
      if (inside.some((inner, index) => isActive(inner, ',') || (isActive(inner, '.') && isActive(inside[index + 1], '.')))) return at;
    }
  }
  return undefined;
}
