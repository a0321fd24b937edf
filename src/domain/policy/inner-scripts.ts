import { optionSet, scanArguments, type ValuedOptions } from './command-options.js';
import type { ShellWord, StdinSource } from './parsed-command.js';
import { getProgramName, isSameProgram } from './programs.js';
import { getLiteral, literalWord } from './shell-words.js';

/*
 * Commands that run shell code given as a string: `bash -c '…'`, `eval …`, `trap '…' EXIT`,
 * `alias x='…'`, a shell fed a here-document. The string is parsed in turn when it is literal;
 * when it comes from somewhere the policy cannot see (a pipe, a variable, a process
 * substitution), what runs is hidden.
 */

/** Shells whose language our parser reads (bash, and the POSIX shells it is a superset of). */
const PARSED_SHELLS = ['sh', 'bash', 'rbash', 'dash', 'ash', 'ksh', 'mksh', 'posh', 'yash'];
/** Shells with a language of their own: their strings are not read. */
const OTHER_SHELLS = ['zsh', 'fish', 'csh', 'tcsh', 'pwsh', 'powershell', 'nu', 'elvish', 'xonsh'];

/** How an interpreter is given its program: the options that take a value, and those whose value is the program. */
interface InterpreterSyntax {
  valued: ValuedOptions;
  inline: readonly string[];
}

const interpreter = (inline: string[], ...others: string[]): InterpreterSyntax => ({ valued: optionSet(...inline, ...others), inline });

/** Interpreters that run a program read from their input when given none. */
const INTERPRETERS: Readonly<Record<string, InterpreterSyntax>> = {
  python: interpreter(['-c'], '-W', '-X'),
  node: interpreter(['-e', '-p', '--eval', '--print'], '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file'),
  perl: interpreter(['-e', '-E']),
  ruby: interpreter(['-e'], '-r', '-I', '-E'),
  php: interpreter(['-r'], '-c', '-d', '-f'),
  lua: interpreter(['-e'], '-l'),
  Rscript: interpreter(['-e']),
};

/** Paths that read the command's own input. */
const STDIN_PATHS = ['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'];

/** The shell code a command runs besides itself. */
export interface InnerScripts {
  /** Literal shell strings to parse and check in turn. */
  scripts: ShellWord[];
  /** Why what it runs cannot be known, when it cannot. */
  hidden?: string;
}

const NONE: InnerScripts = { scripts: [] };

// The shell code a command (wrappers already peeled) runs, read from its words and its input.
export function findInnerScripts(words: readonly ShellWord[], stdin: StdinSource, home: string): InnerScripts {
  const program = words[0] && getProgramName(words[0], home);
  if (program === undefined) return NONE;
  if (PARSED_SHELLS.some((shell) => isSameProgram(program, shell))) return readShellInvocation(words, stdin, program);
  if (OTHER_SHELLS.some((shell) => isSameProgram(program, shell))) return readForeignShell(words, stdin, program);
  const name = Object.keys(INTERPRETERS).find((known) => isSameProgram(program, known) || (known === 'node' && program === 'nodejs'));
  if (name) return readInterpreter(words, stdin, INTERPRETERS[name] as InterpreterSyntax, program);
  if (program === 'eval') return joinedScript(words.slice(1), 'eval');
  if (program === 'trap') return readTrap(words);
  if (program === 'alias') return readAliases(words);
  if (program === 'source' || program === '.') return readSourcedFile(words[1], stdin, program);
  return NONE;
}

// bash [options] [-c string | file | (stdin)]: -c may be bundled (`-ec`); -o and -O take a value.
function readShellInvocation(words: readonly ShellWord[], stdin: StdinSource, program: string): InnerScripts {
  let command = false;
  let at = 1;
  for (; at < words.length; at++) {
    const text = getLiteral(words[at] as ShellWord);
    // A word only known at run time may be an option or the script: either way it hides what runs.
    if (text === undefined) break;
    if (text === '--' || text === '-') {
      at++;
      break;
    }
    if (text === '--rcfile' || text === '--init-file') at++;
    else if (!/^[-+]./.test(text)) break;
    else if (!text.startsWith('--')) {
      if (text.startsWith('-') && text.includes('c')) command = true;
      if (/[oO]/.test(text)) at++;
    }
  }
  const operand = words[at];
  if (command) return operand ? literalScript(operand, `${program} -c`) : hidden(`${program} -c runs a string from its input`);
  if (operand) return readScriptOperand(operand, stdin, program);
  return readStdinScript(stdin, program);
}

// A shell's script file: a file runs as files do; its own input, or a pipe path, hides it.
function readScriptOperand(operand: ShellWord, stdin: StdinSource, program: string): InnerScripts {
  const path = getLiteral(operand);
  if (path === undefined) return hidden(`${program} runs a script whose path is only known at run time`);
  return STDIN_PATHS.includes(path) ? readStdinScript(stdin, program) : NONE;
}

function readStdinScript(stdin: StdinSource, program: string): InnerScripts {
  if (stdin.from === 'pipe') return hidden(`a script is piped into ${program}`);
  if (stdin.from === 'text') return literalScript(stdin.text, `${program}'s here-document`);
  return NONE;
}

function readForeignShell(words: readonly ShellWord[], stdin: StdinSource, program: string): InnerScripts {
  const inline = words.slice(1).some((word) => /^-[a-z]*c/.test(getLiteral(word) ?? '-c'));
  if (inline) return hidden(`${program} runs a string in a language this policy does not parse`);
  return words.length === 1 && stdin.from !== 'file' && stdin.from !== 'inherited' ? hidden(`a script is fed into ${program}`) : NONE;
}

// An interpreter reading its program from a pipe runs what another program printed.
function readInterpreter(words: readonly ShellWord[], stdin: StdinSource, syntax: InterpreterSyntax, program: string): InnerScripts {
  if (stdin.from !== 'pipe') return NONE;
  const scanned = scanArguments(words, syntax.valued, 1);
  const inline = scanned.options.some((option) => option.value && syntax.inline.includes(option.name));
  const file = scanned.operands.some((operand) => !STDIN_PATHS.includes(getLiteral(operand.word) ?? ''));
  return inline || file ? NONE : hidden(`a program is piped into ${program}`);
}

// trap [--] action signal...: the action is shell code.
function readTrap(words: readonly ShellWord[]): InnerScripts {
  const args = words.slice(1);
  if (args[0] && getLiteral(args[0]) === '--') args.shift();
  const action = args[0];
  const text = action && getLiteral(action);
  if (!action || text === '-' || (text !== undefined && /^-[lp]$/.test(text)) || args.length === 1) return NONE;
  return literalScript(action, 'trap');
}

// alias name='code': the code runs wherever the name is used.
function readAliases(words: readonly ShellWord[]): InnerScripts {
  const scripts: ShellWord[] = [];
  for (const word of words.slice(1)) {
    const text = getLiteral(word);
    if (text === undefined) return hidden('alias defines code only known at run time');
    const equals = text.indexOf('=');
    if (equals > 0) scripts.push(literalWord(text.slice(equals + 1)));
  }
  return { scripts };
}

function readSourcedFile(file: ShellWord | undefined, stdin: StdinSource, program: string): InnerScripts {
  return file ? readScriptOperand(file, stdin, program) : NONE;
}

// eval's arguments joined with spaces, as eval does.
function joinedScript(words: readonly ShellWord[], what: string): InnerScripts {
  const texts = words.map(getLiteral);
  if (texts.some((text) => text === undefined)) return hidden(`${what} runs words only known at run time`);
  return texts.length === 0 ? NONE : { scripts: [literalWord(texts.join(' '))] };
}

function literalScript(word: ShellWord, what: string): InnerScripts {
  return getLiteral(word) === undefined ? hidden(`${what} runs a string only known at run time`) : { scripts: [word] };
}

function hidden(why: string): InnerScripts {
  return { scripts: [], hidden: why };
}
