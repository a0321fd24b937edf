import { optionSet, type ValuedOptions } from './command-options.js';
import type { ShellWord } from './parsed-command.js';
import { resolveWordText } from './shell-words.js';

/*
 * What the command rules need to know about a few programs: the options that take a value (so
 * `git -C repo push` is still `git push`), other spellings of a subcommand (`npm i` is
 * `npm install`) and of a flag (`--recursive` is `-r`).
 */

interface ProgramKnowledge {
  valued?: ValuedOptions;
  /** Other names of a subcommand. */
  subcommands?: Readonly<Record<string, string>>;
  /** Long or short flags that mean the same as a short one, e.g. `--force` → `-f`. */
  flags?: Readonly<Record<string, string>>;
  /** Operands starting with this mean the flag given (git's `+main` refspec forces a push). */
  operandFlag?: { prefix: string; flag: string };
}

const NPM_INSTALL = ['i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add'];
const RECURSIVE = { '-R': '-r', '--recursive': '-r' };

const PROGRAMS: Readonly<Record<string, ProgramKnowledge>> = {
  git: {
    valued: optionSet('-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--exec-path'),
    flags: { '--force': '-f', '--force-with-lease': '-f', '--delete': '-d' },
    operandFlag: { prefix: '+', flag: '-f' },
  },
  npm: {
    valued: optionSet('-C', '--prefix', '--registry', '-w', '--workspace', '--loglevel', '--userconfig', '--globalconfig', '--cache', '--tag', '--otp', '--access', '--scope'),
    subcommands: Object.fromEntries(NPM_INSTALL.map((alias) => [alias, 'install'])),
    flags: { '--global': '-g' },
  },
  pnpm: { valued: optionSet('-C', '--dir', '-F', '--filter', '-w', '--workspace-root'), subcommands: { i: 'install' }, flags: { '--global': '-g' } },
  yarn: { valued: optionSet('--cwd') },
  docker: { valued: optionSet('-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey') },
  cargo: { valued: optionSet('-C', '--config', '-Z', '--color') },
  pip: { valued: optionSet('--proxy', '-i', '--index-url', '--extra-index-url', '--log', '--cache-dir', '--python') },
  uv: { valued: optionSet('--directory', '--project', '--cache-dir', '--config-file') },
  gem: { subcommands: { i: 'install' } },
  kubectl: { valued: optionSet('-n', '--namespace', '--context', '--kubeconfig', '-s', '--server', '--cluster', '--user') },
  'apt-get': { valued: optionSet('-o', '-c', '-t', '--target-release') },
  apt: { valued: optionSet('-o', '-c', '-t', '--target-release') },
  rm: { flags: { ...RECURSIVE, '--force': '-f', '--dir': '-d' } },
  cp: { flags: RECURSIVE },
  chmod: { flags: RECURSIVE },
  chown: { flags: RECURSIVE },
};

const NO_KNOWLEDGE: ProgramKnowledge = {};

// What the rules know about a program, by the name rules use for it.
export function getProgramKnowledge(program: string): ProgramKnowledge {
  return PROGRAMS[program] ?? PROGRAMS[stripVersion(program)] ?? NO_KNOWLEDGE;
}

// `pip3` and `python3.12` are `pip` and `python` to the rules.
function stripVersion(program: string): string {
  return program.replace(/[0-9][0-9.]*$/, '');
}

// The name of the program a word runs: its base name (`/bin/rm` is `rm`), or undefined when only
// known at run time. $HOME is known (`~/bin/tool`).
export function getProgramName(word: ShellWord, home: string): string | undefined {
  const { text, complete } = resolveWordText(word, home);
  if (!complete || text === '') return undefined;
  const name = text.slice(text.lastIndexOf('/') + 1);
  return name === '' ? undefined : name;
}

// True when a rule naming `ruleProgram` covers `program`: the same name, a version of it
// (`pip3`, `python3.12`), or a variant (`mkfs.ext4`).
export function isSameProgram(program: string, ruleProgram: string): boolean {
  if (program === ruleProgram) return true;
  if (!program.startsWith(ruleProgram)) return false;
  const rest = program.slice(ruleProgram.length);
  return rest.startsWith('.') || /^[0-9][0-9.]*$/.test(rest);
}

// A subcommand word as the program understands it (`npm i` → `install`).
export function canonicalSubcommand(program: string, word: string): string {
  return getProgramKnowledge(program).subcommands?.[word] ?? word;
}

// A flag as the program understands it (`rm --recursive` → `-r`).
export function canonicalFlag(program: string, flag: string): string {
  return getProgramKnowledge(program).flags?.[flag] ?? flag;
}
