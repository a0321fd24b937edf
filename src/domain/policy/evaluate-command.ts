import type { PolicyVerdict } from '../policy-config.js';
import { scanArguments } from './command-options.js';
import { findWriteTargets, type WriteTarget } from './command-writes.js';
import { matchCommandRule, parseCommandRule, type CommandRule } from './command-rules.js';
import type { CommandRuleLists } from './defaults.js';
import { toAbsolutePath, type EffectivePolicy } from './effective-policy.js';
import { readFindActions } from './find-actions.js';
import { findInnerScripts } from './inner-scripts.js';
import { HIDING_CONSTRUCTS, type Redirection, type ShellConstruct, type ShellParser, type ShellScript, type ShellWord, type SimpleCommand } from './parsed-command.js';
import { checkReadPath, checkWritePath } from './path-rules.js';
import { getProgramName } from './programs.js';
import { describeWord, describeWords, getLiteral, resolveWordText } from './shell-words.js';
import { allowVerdict, pickStrictest, unparsableVerdict } from './verdicts.js';
import { unwrapCommand, type Unwrapped } from './wrappers.js';

/*
 * The verdict on a shell command: parse or refuse. Every simple command, nested ones included, is
 * unwrapped and matched against the rules; shell strings it runs are parsed in turn; its writes
 * are checked as paths and its words as paths read. Whatever hides what runs is never allowed.
 */

/** Shell strings inside shell strings (`bash -c "eval '…'"`) are read this deep. */
const MAX_NESTING = 4;
/** Relative paths are checked from at most this many directories a script may `cd` to. */
const MAX_DIRECTORIES = 16;
/** Control characters other than tab and newline, invisible format characters, and spaces other than the ASCII one. */
const DECEPTIVE_CHARACTER = /[^\P{Cc}\t\n]|\p{Cf}|[^\S \t\n]/u;
const WRITING_REDIRECTIONS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const RULE_LISTS = ['deny', 'ask', 'allow'] as const;

const CONSTRUCT_REASONS: Partial<Record<ShellConstruct, string>> = {
  arithmeticEvaluation: 'arithmetic evaluates a quoted string or a substitution, which can run commands',
  promptExpansion: '${…@P} runs the substitutions held in a variable',
  unknownSyntax: 'it uses shell syntax the policy does not read',
};

type CompiledRules = Record<(typeof RULE_LISTS)[number], CommandRule[]>;

interface Inspection {
  policy: EffectivePolicy;
  parse: ShellParser;
  rules: CompiledRules;
  verdicts: PolicyVerdict[];
}

/** Where a script runs: the directories it may be in, and how deep in shell strings. */
interface Place {
  cwds: string[];
  /** False once the script changes to a directory only known at run time. */
  cwdKnown: boolean;
  depth: number;
}

// The policy's verdict on one shell command.
export function evaluateShellCommand(command: string, policy: EffectivePolicy, parse: ShellParser): PolicyVerdict {
  const inspection: Inspection = { policy, parse, rules: compileRules(policy.commands), verdicts: [] };
  inspectSource(command, inspection, { cwds: [policy.cwd], cwdKnown: true, depth: 0 });
  return pickStrictest(inspection.verdicts) ?? allowVerdict('no rule names this command');
}

const compiled = new WeakMap<CommandRuleLists, CompiledRules>();

// Rules are read once per policy, not once per command.
function compileRules(lists: CommandRuleLists): CompiledRules {
  let rules = compiled.get(lists);
  if (!rules) {
    const read = (sources: readonly string[]) => sources.map(parseCommandRule).filter((rule): rule is CommandRule => rule !== undefined);
    rules = { deny: read(lists.deny), ask: read(lists.ask), allow: read(lists.allow) };
    compiled.set(lists, rules);
  }
  return rules;
}

function inspectSource(source: string, inspection: Inspection, place: Place): void {
  const refuse = (why: string) => inspection.verdicts.push(unparsableVerdict(inspection.policy.unparsable, why));
  if (place.depth > MAX_NESTING) return void refuse(`shell strings are nested more than ${MAX_NESTING} deep`);
  // U+00A0 and friends are not separators to bash: `rm\u00a0-rf` is one word that looks like two.
  if (DECEPTIVE_CHARACTER.test(source)) refuse('it contains invisible, control or non-ASCII space characters, which can make one command look like another');
  const parsed = inspection.parse(source);
  if (!parsed.ok) return void refuse(`the shell cannot parse it (${parsed.error})`);
  inspectScript(parsed.script, inspection, place);
}

function inspectScript(script: ShellScript, inspection: Inspection, place: Place): void {
  for (const construct of script.constructs) {
    if (HIDING_CONSTRUCTS.has(construct)) inspection.verdicts.push(unparsableVerdict(inspection.policy.unparsable, CONSTRUCT_REASONS[construct] ?? construct));
  }
  const home = inspection.policy.home;
  const unwrapped = script.commands.map((command) => unwrapCommand(command.words, home));
  const here = followDirectoryChanges(unwrapped, place, home);
  script.commands.forEach((command, index) => inspectCommand(command, unwrapped[index] as Unwrapped, inspection, here));
  for (const redirection of script.redirections) inspectRedirection(redirection, inspection, here);
  for (const word of script.otherWords) checkReadWord(word, inspection, here);
}

function inspectCommand(command: SimpleCommand, unwrapped: Unwrapped, inspection: Inspection, place: Place): void {
  const { policy } = inspection;
  const refuse = (why: string) => inspection.verdicts.push(unparsableVerdict(policy.unparsable, why));
  for (const assignment of command.assignments) if (assignment.value) checkReadWord(assignment.value, inspection, place);
  for (const word of command.words) checkReadWord(word, inspection, place);
  if (unwrapped.hidden) refuse(unwrapped.hidden);
  for (const layer of unwrapped.layers) matchRules(layer, inspection);
  const innermost = unwrapped.layers.at(-1);
  if (!innermost) return;
  const inner = findInnerScripts(innermost, command.stdin, policy.home);
  if (inner.hidden) refuse(inner.hidden);
  for (const script of [...unwrapped.scripts, ...inner.scripts]) {
    const text = getLiteral(script);
    if (text === undefined) refuse(`it runs a shell string only known at run time (${describeWord(script)})`);
    else inspectSource(text, inspection, { ...place, depth: place.depth + 1 });
  }
  for (const target of findWriteTargets(innermost, policy.home)) checkWriteWord(target, inspection, place);
  if (innermost[0] && getProgramName(innermost[0], policy.home) === 'find') {
    const find = readFindActions(innermost);
    for (const words of find.commands) inspectCommand({ words, assignments: [], stdin: { from: 'inherited' } }, unwrapCommand(words, policy.home), inspection, place);
    for (const target of find.writes) checkWriteWord(target, inspection, place);
  }
}

// Each rule list gives at most one verdict per command: its most specific match.
function matchRules(words: ShellWord[], inspection: Inspection): void {
  const { policy } = inspection;
  const first = words[0] as ShellWord;
  const program = getProgramName(first, policy.home);
  if (program === undefined) {
    inspection.verdicts.push(unparsableVerdict(policy.unparsable, `the program is only known at run time (${describeWord(first)})`));
    return;
  }
  for (const list of RULE_LISTS) {
    let best: { rule: CommandRule; certain: boolean } | undefined;
    for (const rule of inspection.rules[list]) {
      const match = matchCommandRule(words, program, rule);
      if (match === 'none' || (match === 'maybe' && list === 'allow')) continue;
      const certain = match === 'match';
      if (!best || (certain && !best.certain) || (certain === best.certain && isBetterReason(rule, best.rule, certain))) best = { rule, certain };
    }
    if (best) inspection.verdicts.push(ruleVerdict(words, list, best.rule, best.certain, policy));
  }
}

// A certain match is best named by the most specific rule ("git push --force" over "git push"),
// a possible one by the least specific, which is the likelier.
function isBetterReason(rule: CommandRule, than: CommandRule, certain: boolean): boolean {
  const specificity = (of: CommandRule) => of.words.length + of.flags.length;
  return certain ? specificity(rule) > specificity(than) : specificity(rule) < specificity(than);
}

function ruleVerdict(words: ShellWord[], list: (typeof RULE_LISTS)[number], rule: CommandRule, certain: boolean, policy: EffectivePolicy): PolicyVerdict {
  const command = describeWords(words);
  if (!certain) return unparsableVerdict(policy.unparsable, `\`${command}\` may be covered by the ${list} rule "${rule.source}", depending on words only known at run time`);
  return { decision: list, reason: `\`${command}\` is covered by the ${list} rule "${rule.source}"`, rule: rule.source };
}

function inspectRedirection(redirection: Redirection, inspection: Inspection, place: Place): void {
  const { op, target } = redirection;
  checkReadWord(target, inspection, place);
  // `>&2` and `2>&1` duplicate a descriptor; `>&file` writes the file.
  const duplicate = (op === '>&' || op === '<&') && /^(\d+-?|-)$/.test(getLiteral(target) ?? '');
  if (WRITING_REDIRECTIONS.has(op) || (op === '>&' && !duplicate)) checkWriteWord({ word: target, verb: 'writes' }, inspection, place);
}

// A written path is checked from every directory the script may be in. A path only known at run
// time cannot be checked: it is denied when what is known already puts it somewhere forbidden,
// and otherwise refused like any command the policy cannot read.
function checkWriteWord(target: WriteTarget, inspection: Inspection, place: Place): void {
  const { policy, verdicts } = inspection;
  const { text, complete } = resolveWordText(target.word, policy.home);
  const known = complete ? text : text.slice(0, text.lastIndexOf('/') + 1);
  const intent = complete ? target : { verb: target.verb };
  if (known !== '') {
    for (const cwd of getDirectories(known, place, policy)) {
      const verdict = checkWritePath(toAbsolutePath(known, cwd, policy.home), policy, intent);
      if (verdict) verdicts.push(verdict);
    }
    if (!place.cwdKnown && isRelative(known)) verdicts.push(unparsableVerdict(policy.unparsable, `it ${target.verb} ${known}, relative to a directory only known at run time`));
  }
  if (!complete) verdicts.push(unparsableVerdict(policy.unparsable, `it ${target.verb} ${describeWord(target.word)}, a path only known at run time`));
}

// Every word that may be a path is checked as a path read: `cat ~/.ssh/id_rsa`, `--key=$HOME/.aws/x`.
function checkReadWord(word: ShellWord, inspection: Inspection, place: Place): void {
  const { policy, verdicts } = inspection;
  const { text, complete } = resolveWordText(word, policy.home);
  const known = complete ? text : text.slice(0, text.lastIndexOf('/') + 1);
  const equals = known.indexOf('=');
  for (const candidate of equals >= 0 ? [known, known.slice(equals + 1)] : [known]) {
    if (candidate === '' || (candidate.startsWith('-') && equals < 0)) continue;
    if (!place.cwdKnown && isRelative(candidate)) continue;
    for (const cwd of getDirectories(candidate, place, policy)) {
      const verdict = checkReadPath(toAbsolutePath(candidate, cwd, policy.home), policy);
      if (verdict) verdicts.push(verdict);
    }
  }
}

function isRelative(path: string): boolean {
  return !path.startsWith('/') && path !== '~' && !path.startsWith('~/');
}

function getDirectories(path: string, place: Place, policy: EffectivePolicy): string[] {
  return isRelative(path) ? place.cwds : [policy.cwd];
}

// The directories a script may run its commands in: where it started and wherever it may `cd`.
// Order is not followed: a path is checked from all of them, which can only be stricter.
function followDirectoryChanges(commands: readonly Unwrapped[], place: Place, home: string): Place {
  const cwds = new Set(place.cwds);
  let cwdKnown = place.cwdKnown;
  for (const { layers } of commands) {
    const words = layers.at(-1);
    const program = words?.[0] && getLiteral(words[0]);
    if (!words || (program !== 'cd' && program !== 'pushd')) continue;
    const [target] = scanArguments(words, new Set(), 1).operands;
    if (!target) {
      cwds.add(home);
      continue;
    }
    const { text, complete } = resolveWordText(target.word, home);
    if (!complete || cwds.size >= MAX_DIRECTORIES) cwdKnown = false;
    else if (text !== '-' && !/^[+-]\d+$/.test(text)) for (const cwd of [...cwds]) cwds.add(toAbsolutePath(text, cwd, home));
  }
  return { ...place, cwds: [...cwds], cwdKnown };
}
