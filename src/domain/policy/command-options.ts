import type { ShellWord } from './parsed-command.js';
import { getLiteral, literalWord } from './shell-words.js';

/*
 * Reads a command's arguments the way GNU getopt does: options anywhere before `--`, short
 * options bundled (`-rf`), values attached (`-n5`, `--size=3`) or in the next word. Only the
 * options that take a value need to be known; a word after an option we do not know may be that
 * option's value, and the operand says so.
 */

/** The options of one program that take a value, e.g. `['-C', '-c', '--git-dir']`. */
export type ValuedOptions = ReadonlySet<string>;

export interface ScannedOption {
  /** `-x` or `--name`. */
  name: string;
  value?: ShellWord;
}

export interface Operand {
  word: ShellWord;
  index: number;
  /** The word follows an option we do not know, so it may be that option's value. */
  mayBeValue: boolean;
}

export interface ScannedArguments {
  options: ScannedOption[];
  operands: Operand[];
  /** With `untilOperand`, the index of the first operand (or the end). */
  end: number;
}

// Reads words[from..]: options and their values, and operands. With `untilOperand` it stops at the
// first operand, which is where a wrapper's command starts. A word only known at run time is an operand.
export function scanArguments(words: readonly ShellWord[], valued: ValuedOptions, from = 1, untilOperand = false): ScannedArguments {
  const scanned: ScannedArguments = { options: [], operands: [], end: words.length };
  let mayBeValue = false;
  for (let index = from; index < words.length; index++) {
    const word = words[index] as ShellWord;
    const text = getLiteral(word);
    if (text === '--') {
      for (let rest = index + 1; rest < words.length; rest++) scanned.operands.push({ word: words[rest] as ShellWord, index: rest, mayBeValue: false });
      if (untilOperand) scanned.end = index + 1;
      return scanned;
    }
    if (text === undefined || !isOption(text)) {
      if (untilOperand) return { ...scanned, end: index };
      scanned.operands.push({ word, index, mayBeValue });
      mayBeValue = false;
      continue;
    }
    const read = readOption(text, words[index + 1], valued);
    scanned.options.push(...read.options);
    if (read.tookNext) index++;
    mayBeValue = read.unknownLast;
  }
  return scanned;
}

function isOption(text: string): boolean {
  return text.length > 1 && text.startsWith('-');
}

interface ReadOption {
  options: ScannedOption[];
  tookNext: boolean;
  /** The last option is one we do not know and has no value of its own. */
  unknownLast: boolean;
}

function readOption(text: string, next: ShellWord | undefined, valued: ValuedOptions): ReadOption {
  if (text.startsWith('--')) {
    const equals = text.indexOf('=');
    if (equals > 0) return { options: [{ name: text.slice(0, equals), value: literalWord(text.slice(equals + 1)) }], tookNext: false, unknownLast: false };
    if (valued.has(text)) return { options: [{ name: text, value: next }], tookNext: next !== undefined, unknownLast: false };
    return { options: [{ name: text }], tookNext: false, unknownLast: true };
  }
  const options: ScannedOption[] = [];
  for (let at = 1; at < text.length; at++) {
    const name = `-${text[at]}`;
    if (!valued.has(name)) {
      options.push({ name });
      continue;
    }
    const rest = text.slice(at + 1);
    if (rest !== '') return { options: [...options, { name, value: literalWord(rest) }], tookNext: false, unknownLast: false };
    return { options: [...options, { name, value: next }], tookNext: next !== undefined, unknownLast: false };
  }
  return { options, tookNext: false, unknownLast: true };
}

// The values given to any of the named options, in order.
export function getOptionValues(scanned: ScannedArguments, names: readonly string[]): ShellWord[] {
  const values: ShellWord[] = [];
  for (const option of scanned.options) if (option.value && names.includes(option.name)) values.push(option.value);
  return values;
}

// True when any of the named options is given.
export function hasOption(scanned: ScannedArguments, names: readonly string[]): boolean {
  return scanned.options.some((option) => names.includes(option.name));
}

// A set of option names, for the tables.
export function optionSet(...names: string[]): ValuedOptions {
  return new Set(names);
}
