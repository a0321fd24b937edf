import { getOptionValues, hasOption, optionSet, scanArguments, type ScannedOption, type ValuedOptions } from './command-options.js';
import type { ShellWord } from './parsed-command.js';
import { getProgramKnowledge, getProgramName, isSameProgram } from './programs.js';
import { dynamicWord, getLiteral, literalWord } from './shell-words.js';

/*
 * Programs that run another program: `timeout 1 X`, `env A=b X`, `sudo X`, `xargs X`... A rule on
 * X must see X whatever wraps it, so a command is unwrapped layer by layer. Wrappers that run a
 * shell string (`env -S '…'`, `flock -c '…'`, `watch 'a; b'`) hand it back to be parsed in turn.
 */

interface WrapperSyntax {
  valued?: ValuedOptions;
  /** Operands before the command: timeout's duration, flock's lock file. */
  leadingOperands?: number;
  /** `NAME=value` words before the command (env). */
  assignments?: boolean;
  /** Options whose value is a shell string. */
  scriptOptions?: readonly string[];
  /** Options that mean no command is run (`command -v`, `sudo -l`). */
  noCommandOptions?: readonly string[];
  /** Its operands are not a command (su runs only `-c`). */
  noCommand?: boolean;
  /** Adds words from its input to the command (xargs), or puts them where -I says. */
  appendsInput?: boolean;
  /** Runs its operands joined into one shell string (watch). */
  joinsIntoScript?: boolean;
}

const NPX: WrapperSyntax = { valued: optionSet('-p', '--package', '--cache', '--userconfig'), scriptOptions: ['-c', '--call'] };
const BUNX: WrapperSyntax = { valued: optionSet('-p', '--package') };

const WRAPPERS: Readonly<Record<string, WrapperSyntax>> = {
  sudo: {
    valued: optionSet('-u', '-g', '-h', '-p', '-C', '-D', '-R', '-T', '-U', '-r', '-t', '--user', '--group', '--host', '--prompt', '--close-from', '--chdir', '--chroot', '--command-timeout', '--other-user', '--role', '--type'),
    noCommandOptions: ['-l', '-v', '-k', '-K', '-V', '--list', '--validate', '--version'],
  },
  doas: { valued: optionSet('-u', '-C') },
  su: { valued: optionSet('-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w'), leadingOperands: 2, scriptOptions: ['-c', '--command'], noCommand: true },
  timeout: { valued: optionSet('-s', '-k', '--signal', '--kill-after'), leadingOperands: 1 },
  nice: { valued: optionSet('-n', '--adjustment') },
  nohup: {},
  setsid: {},
  unbuffer: {},
  'dbus-run-session': {},
  builtin: {},
  busybox: {},
  time: { valued: optionSet('-f', '-o', '--format', '--output') },
  command: { noCommandOptions: ['-v', '-V'] },
  exec: { valued: optionSet('-a') },
  env: { valued: optionSet('-u', '--unset', '-C', '--chdir'), assignments: true, scriptOptions: ['-S', '--split-string'] },
  stdbuf: { valued: optionSet('-i', '-o', '-e', '--input', '--output', '--error') },
  ionice: { valued: optionSet('-c', '-n', '--class', '--classdata'), noCommandOptions: ['-p', '-P', '-u', '--pid', '--pgid', '--uid'] },
  taskset: { leadingOperands: 1, noCommandOptions: ['-p', '--pid'] },
  chrt: { leadingOperands: 1, noCommandOptions: ['-p', '--pid'] },
  chroot: { valued: optionSet('--userspec', '--groups'), leadingOperands: 1 },
  flock: { valued: optionSet('-w', '-E', '--timeout', '--wait', '--conflict-exit-code'), leadingOperands: 1, scriptOptions: ['-c', '--command'] },
  xargs: {
    valued: optionSet('-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'),
    appendsInput: true,
  },
  watch: { valued: optionSet('-n', '--interval'), joinsIntoScript: true },
  strace: { valued: optionSet('-o', '-e', '-p', '-s', '-u', '-a', '-b', '-E', '-I', '-O', '-P', '-S', '-X') },
  ltrace: { valued: optionSet('-o', '-e', '-p', '-s', '-u', '-n') },
  'xvfb-run': { valued: optionSet('-n', '-s', '-f', '-e', '-p', '--server-num', '--server-args', '--auth-file', '--error-file') },
  npx: NPX,
  bunx: BUNX,
  uvx: { valued: optionSet('--from', '--with', '--python', '-p') },
};

/** Subcommands that run a program: `npm exec X`, `uv run X`, `bundle exec X`... */
const SUBCOMMAND_WRAPPERS: Readonly<Record<string, Readonly<Record<string, WrapperSyntax>>>> = {
  npm: { exec: NPX, x: NPX },
  pnpm: { exec: {}, dlx: { valued: optionSet('--package') } },
  yarn: { exec: {}, dlx: { valued: optionSet('-p', '--package') } },
  bun: { x: BUNX },
  uv: { run: { valued: optionSet('--with', '--python', '-p', '--directory', '--project', '--env-file') } },
  poetry: { run: {} },
  pipenv: { run: {} },
  pipx: { run: { valued: optionSet('--spec') } },
  bundle: { exec: {} },
};

const PYTHON_VALUED = optionSet('-W', '-X', '-c', '-m');

/** A command and the commands it runs through wrappers. */
export interface Unwrapped {
  /** The command as written, then each command a wrapper runs; the innermost last. */
  layers: ShellWord[][];
  /** Shell strings the wrappers run. */
  scripts: ShellWord[];
  /** Why a wrapper's command cannot be read, when it cannot. */
  hidden?: string;
}

// Peels the wrappers off a command, innermost last.
export function unwrapCommand(words: ShellWord[], home: string): Unwrapped {
  const unwrapped: Unwrapped = { layers: [], scripts: [] };
  let current: ShellWord[] = words;
  while (current.length > 0 && unwrapped.layers.length <= words.length) {
    unwrapped.layers.push(current);
    const program = getProgramName(current[0] as ShellWord, home);
    if (program === undefined) break;
    const inner = isSameProgram(program, 'python') ? unwrapPythonModule(current) : unwrapWrapper(current, program, unwrapped);
    if (!inner || inner.length === 0) break;
    current = inner;
  }
  return unwrapped;
}

// `python -m pip install x` runs pip.
function unwrapPythonModule(words: ShellWord[]): ShellWord[] | undefined {
  const scanned = scanArguments(words, PYTHON_VALUED, 1, true);
  const [module] = getOptionValues(scanned, ['-m']);
  return module && !hasOption(scanned, ['-c']) ? [module, ...words.slice(scanned.end)] : undefined;
}

function unwrapWrapper(words: ShellWord[], program: string, unwrapped: Unwrapped): ShellWord[] | undefined {
  const found = findWrapper(words, program);
  if (!found) return undefined;
  const { syntax, from } = found;
  const command = skipToCommand(words, from, syntax, unwrapped);
  if (!command || syntax.noCommand) return undefined;
  const inner = words.slice(command.start);
  if (syntax.joinsIntoScript) {
    const joined = inner.map(getLiteral);
    if (joined.every((text) => text !== undefined)) unwrapped.scripts.push(literalWord(joined.join(' ')));
    else unwrapped.hidden = `${program} runs a shell string made of words only known at run time`;
    return undefined;
  }
  return syntax.appendsInput ? withInput(inner, command.options) : inner;
}

function findWrapper(words: ShellWord[], program: string): { syntax: WrapperSyntax; from: number } | undefined {
  const direct = WRAPPERS[program];
  if (direct) return { syntax: direct, from: 1 };
  const subcommands = SUBCOMMAND_WRAPPERS[program];
  if (!subcommands) return undefined;
  const scanned = scanArguments(words, getProgramKnowledge(program).valued ?? new Set(), 1, true);
  const subcommand = words[scanned.end] && getLiteral(words[scanned.end] as ShellWord);
  const syntax = subcommand === undefined ? undefined : subcommands[subcommand];
  return syntax ? { syntax, from: scanned.end + 1 } : undefined;
}

const valuedWithScripts = new WeakMap<WrapperSyntax, ValuedOptions>();

// The options that take a value, the ones whose value is a shell string included.
function getValuedOptions(syntax: WrapperSyntax): ValuedOptions {
  let valued = valuedWithScripts.get(syntax);
  if (!valued) {
    valued = new Set([...(syntax.valued ?? []), ...(syntax.scriptOptions ?? [])]);
    valuedWithScripts.set(syntax, valued);
  }
  return valued;
}

/** Where a wrapped command starts, and the wrapper's options before it. */
interface WrappedCommand {
  start: number;
  options: ScannedOption[];
}

// Reads the wrapper's options, leading operands and assignments up to the command it runs;
// undefined when it runs none.
function skipToCommand(words: ShellWord[], from: number, syntax: WrapperSyntax, unwrapped: Unwrapped): WrappedCommand | undefined {
  const options: ScannedOption[] = [];
  let at = from;
  let leading = syntax.leadingOperands ?? 0;
  for (;;) {
    const scanned = scanArguments(words, getValuedOptions(syntax), at, true);
    options.push(...scanned.options);
    if (syntax.scriptOptions) unwrapped.scripts.push(...getOptionValues(scanned, syntax.scriptOptions));
    if (syntax.noCommandOptions && hasOption(scanned, syntax.noCommandOptions)) return undefined;
    at = scanned.end;
    const text = words[at] && getLiteral(words[at] as ShellWord);
    if (leading > 0 && at < words.length) {
      leading--;
      at++;
    } else if (syntax.assignments && text !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
      at++;
    } else {
      return at < words.length ? { start: at, options } : undefined;
    }
  }
}

// xargs adds words from its input: after the command, or (with -I R) in place of R.
function withInput(inner: ShellWord[], options: readonly ScannedOption[]): ShellWord[] {
  const replace = options.find((option) => option.name === '-I' || option.name === '--replace')?.value;
  const marker = replace && getLiteral(replace);
  if (!marker) return [...inner, dynamicWord('input')];
  return inner.map((word) => (getLiteral(word)?.includes(marker) ? dynamicWord('input') : word));
}
