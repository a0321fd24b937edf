import type { ExpansionKind, ShellWord, WordPart } from './parsed-command.js';

/** What a word says once the variables the policy knows (HOME) are put in. */
export interface ResolvedText {
  /** The text up to the first part only known at run time. */
  text: string;
  /** True when that is the whole word. */
  complete: boolean;
}

// A word made of literal text only (for rules, tests and wrappers' synthetic words).
export function literalWord(value: string): ShellWord {
  return { parts: [{ type: 'text', value }] };
}

// A word only known at run time.
export function dynamicWord(kind: ExpansionKind): ShellWord {
  return { parts: [{ type: 'expansion', kind }] };
}

// The word's value when every part of it is literal text.
export function getLiteral(word: ShellWord): string | undefined {
  if (word.parts.length === 1 && word.parts[0]?.type === 'text') return word.parts[0].value;
  let value = '';
  for (const part of word.parts) {
    if (part.type !== 'text') return undefined;
    value += part.value;
  }
  return value;
}

// The word's text with $HOME (and a leading ~) put in, up to the first thing only known at run time.
export function resolveWordText(word: ShellWord, home: string): ResolvedText {
  let text = '';
  for (const part of word.parts) {
    if (part.type === 'text') text += part.value;
    else if (part.type === 'variable' && part.name === 'HOME') text += home;
    else return { text, complete: false };
  }
  return { text, complete: true };
}

// The word as a person reads it in a verdict: literal text as is, the rest as the shell wrote it.
export function describeWord(word: ShellWord): string {
  return word.parts.map(describePart).join('');
}

const EXPANSION_TEXT: Record<ExpansionKind, string> = {
  command: '$(…)',
  process: '<(…)',
  arithmetic: '$((…))',
  parameter: '${…}',
  pattern: '*',
  tilde: '~…',
  escapes: "$'…'",
  input: '{}',
  unknown: '…',
};

function describePart(part: WordPart): string {
  if (part.type === 'text') return part.value;
  if (part.type === 'variable') return `$${part.name}`;
  return EXPANSION_TEXT[part.kind];
}

/** Verdicts quote a command up to this long. */
const MAX_DESCRIBED = 200;

// A command line as a person reads it, cut short when long (a `bash -c` script).
export function describeWords(words: readonly ShellWord[]): string {
  const line = words.map(describeWord).join(' ');
  return line.length > MAX_DESCRIBED ? `${line.slice(0, MAX_DESCRIBED - 1)}…` : line;
}
