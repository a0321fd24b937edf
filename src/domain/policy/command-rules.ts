import { scanArguments, type Operand } from './command-options.js';
import type { ShellWord } from './parsed-command.js';
import { canonicalFlag, canonicalSubcommand, getProgramKnowledge, isSameProgram } from './programs.js';
import { getLiteral } from './shell-words.js';

/*
 * Command rules ("git push", "rm -rf", "npm publish") matched on parsed commands, not on text:
 * the program by its base name, the rule's words as the leading operands (after the options that
 * take a value), the rule's flags anywhere before `--`, in any order or bundle, long or short.
 */

/** A rule as the matcher reads it. */
export interface CommandRule {
  /** The rule as the config writes it, e.g. "git push --force". */
  source: string;
  program: string;
  /** Words that must lead the operands, e.g. `['push']`. */
  words: string[];
  /** Flags that must all be given, in their canonical spelling, e.g. `['-r', '-f']`. */
  flags: string[];
}

/** `maybe`: only words known at run time stand between the command and the rule. */
export type RuleMatch = 'match' | 'maybe' | 'none';

// Reads a rule string; an empty one names nothing.
export function parseCommandRule(source: string): CommandRule | undefined {
  const [first, ...rest] = source.trim().split(/\s+/);
  if (!first) return undefined;
  const program = first.slice(first.lastIndexOf('/') + 1);
  const rule: CommandRule = { source, program, words: [], flags: [] };
  for (const token of rest) {
    if (token.startsWith('--')) rule.flags.push(canonicalFlag(program, token.split('=')[0] as string));
    else if (token.startsWith('-') && token.length > 1) for (const letter of token.slice(1)) rule.flags.push(canonicalFlag(program, `-${letter}`));
    else rule.words.push(canonicalSubcommand(program, token));
  }
  return rule;
}

// Whether a command (program already named, its words as written) falls under a rule.
export function matchCommandRule(words: readonly ShellWord[], program: string, rule: CommandRule): RuleMatch {
  if (!isSameProgram(program, rule.program)) return 'none';
  const knowledge = getProgramKnowledge(program);
  const scanned = scanArguments(words, knowledge.valued ?? new Set(), 1);
  const leading = matchLeadingWords(scanned.operands, program, rule.words);
  if (leading === 'none') return 'none';
  const given = new Set(scanned.options.map((option) => canonicalFlag(program, option.name)));
  const forcing = knowledge.operandFlag;
  if (forcing && scanned.operands.some((operand) => getLiteral(operand.word)?.startsWith(forcing.prefix))) given.add(forcing.flag);
  if (rule.flags.every((flag) => given.has(flag))) return leading;
  // A word only known at run time could be the missing flag.
  return scanned.operands.some((operand) => getLiteral(operand.word) === undefined) ? 'maybe' : 'none';
}

// The rule's words must be the leading operands, in order; a word that may be an unknown option's
// value can stand in between, and a word only known at run time could be any of them.
function matchLeadingWords(operands: readonly Operand[], program: string, wanted: readonly string[]): RuleMatch {
  let at = 0;
  for (const want of wanted) {
    for (;;) {
      const operand = operands[at];
      if (!operand) return 'none';
      const text = getLiteral(operand.word);
      if (text === undefined) return 'maybe';
      at++;
      if (canonicalSubcommand(program, text) === want) break;
      if (!operand.mayBeValue) return 'none';
    }
  }
  return 'match';
}
