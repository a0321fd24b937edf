import { createRequire } from 'node:module';
import { getItems, getNode, type GoNode } from './go-values.js';

/*
 * Loads mvdan-sh once per process (about 70 ms, so only when a session first needs it) and learns
 * the numbers its Go code gives to operators by parsing one example of each. Anything unexpected
 * makes the library unusable, and then every command is one the policy cannot read.
 */

interface MvdanSyntax {
  NewParser(...options: unknown[]): { Parse(source: string, name: string): { __internal_object__: GoNode } };
  Variant(language: unknown): unknown;
  LangBash: unknown;
}

/** The operator numbers of this build of the parser, by their shell spelling. */
export interface Operators {
  redirections: ReadonlyMap<number, string>;
  binaries: ReadonlyMap<number, string>;
  /** The number of `${x@op}`. */
  parameterAt: number;
}

/** A loaded parser: a function from source to the Go syntax tree (it throws on a syntax error). */
export interface ShellLibrary {
  parse(source: string): GoNode;
  operators: Operators;
}

const REDIRECTIONS = ['>', '>>', '<', '<>', '<&', '>&', '>|', '&>', '&>>', '<<<'];
const HEREDOCS: Record<string, string> = { '<<': ': <<x\nx\n', '<<-': ': <<-x\n\tx\n' };
const BINARIES = ['&&', '||', '|', '|&'];

let loaded: ShellLibrary | Error | undefined;

// The parser, or the reason it cannot be used.
export function loadShellLibrary(): ShellLibrary | Error {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): ShellLibrary | Error {
  try {
    const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: MvdanSyntax };
    const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));
    const parse = (source: string) => parser.Parse(source, '').__internal_object__;
    return { parse, operators: learnOperators(parse) };
  } catch (error) {
    return error instanceof Error ? error : new Error(describeParseError(error));
  }
}

function learnOperators(parse: (source: string) => GoNode): Operators {
  const firstStatement = (source: string) => getItems(parse(source).Stmts)[0] as GoNode;
  const redirections = new Map<number, string>();
  const sources = { ...Object.fromEntries(REDIRECTIONS.map((op) => [op, `: ${op} x`])), ...HEREDOCS };
  for (const [op, source] of Object.entries(sources)) redirections.set(numberOf(getItems(firstStatement(source).Redirs)[0]?.Op), op);
  const binaries = new Map<number, string>();
  for (const op of BINARIES) binaries.set(numberOf(getNode(firstStatement(`a ${op} b`), 'Cmd')?.Op), op);
  const word = getItems(getNode(firstStatement('echo ${x@P}'), 'Cmd')?.Args)[1];
  const expansion = getItems(word?.Parts)[0];
  const parameterAt = numberOf(expansion && getNode(expansion, 'Exp')?.Op);
  if (redirections.size !== Object.keys(sources).length || binaries.size !== BINARIES.length) throw new Error('mvdan-sh gives two operators the same number');
  return { redirections, binaries, parameterAt };
}

function numberOf(value: unknown): number {
  if (typeof value !== 'number') throw new Error('mvdan-sh does not hold its syntax tree the way this version is read');
  return value;
}

// A Go error thrown through GopherJS, as text.
export function describeParseError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const goError = error as { Error?: () => unknown; message?: unknown };
    if (typeof goError.Error === 'function') return String(goError.Error());
    if (typeof goError.message === 'string') return goError.message;
  }
  return String(error);
}
