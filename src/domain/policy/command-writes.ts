import { getOptionValues, hasOption, optionSet, scanArguments, type ScannedArguments, type ValuedOptions } from './command-options.js';
import type { ShellWord } from './parsed-command.js';
import type { WriteIntent } from './path-rules.js';
import { getProgramName } from './programs.js';
import { getLiteral } from './shell-words.js';

/*
 * The files a command writes by its own arguments (`tee /etc/x`, `cp a /etc/`, `rm -rf /x`,
 * `curl -o f`), so that they are checked as paths like a redirection is. What a program writes on
 * its own (a compiler's output, npm's cache) is the sandbox's business.
 */

/** A file or directory a command writes, creates or deletes. */
export interface WriteTarget extends WriteIntent {
  word: ShellWord;
}

interface WriterSyntax {
  verb: string;
  valued?: ValuedOptions;
  /** Which operands it writes. */
  operands: 'all' | 'last' | 'allButFirst' | 'none';
  /** Options whose value it writes (`cp -t DIR`, `curl -o FILE`); with one given, `last` writes no operand. */
  targetOptions?: readonly string[];
  /** It writes its operands only with one of these (sed -i). */
  onlyWith?: readonly string[];
  /** Its first operand is a script unless one of these gives it (sed's -e). */
  scriptUnless?: readonly string[];
  /** Its operands are removed (rm), or, for `last`, the other operands are (mv). */
  deletes?: boolean;
  /** Operands like `host:path` are on another machine (scp, rsync). */
  remote?: boolean;
}

const COPY_VALUED = optionSet('-S', '--suffix', '-t', '--target-directory');
const IN_PLACE = { operands: 'all', onlyWith: ['-i', '--in-place'], verb: 'edits in place' } as const;

const WRITERS: Readonly<Record<string, WriterSyntax>> = {
  touch: { verb: 'touches', valued: optionSet('-d', '-r', '-t', '--date', '--reference'), operands: 'all' },
  mkdir: { verb: 'creates', valued: optionSet('-m', '--mode'), operands: 'all' },
  rm: { verb: 'deletes', operands: 'all', deletes: true },
  rmdir: { verb: 'deletes', operands: 'all', deletes: true },
  unlink: { verb: 'deletes', operands: 'all', deletes: true },
  shred: { verb: 'shreds', valued: optionSet('-n', '-s', '--iterations', '--size', '--random-source'), operands: 'all', deletes: true },
  truncate: { verb: 'truncates', valued: optionSet('-s', '-r', '--size', '--reference'), operands: 'all' },
  tee: { verb: 'writes', operands: 'all' },
  cp: { verb: 'copies to', valued: COPY_VALUED, operands: 'last', targetOptions: ['-t', '--target-directory'] },
  mv: { verb: 'moves', valued: COPY_VALUED, operands: 'last', targetOptions: ['-t', '--target-directory'], deletes: true },
  install: { verb: 'installs to', valued: optionSet('-m', '-o', '-g', '-S', '-t', '--mode', '--owner', '--group', '--suffix', '--target-directory'), operands: 'last', targetOptions: ['-t', '--target-directory'] },
  ln: { verb: 'links', valued: COPY_VALUED, operands: 'last', targetOptions: ['-t', '--target-directory'] },
  chmod: { verb: 'changes the mode of', operands: 'allButFirst' },
  chown: { verb: 'changes the owner of', operands: 'allButFirst' },
  chgrp: { verb: 'changes the group of', operands: 'allButFirst' },
  sed: { ...IN_PLACE, valued: optionSet('-e', '-f', '-l', '--expression', '--file', '--line-length'), scriptUnless: ['-e', '-f', '--expression', '--file'] },
  perl: { ...IN_PLACE, valued: optionSet('-e', '-E', '-I', '-M'), scriptUnless: ['-e', '-E'] },
  curl: { verb: 'downloads to', valued: optionSet('-o', '--output', '--output-dir'), operands: 'none', targetOptions: ['-o', '--output', '--output-dir'] },
  wget: {
    verb: 'downloads to',
    valued: optionSet('-O', '-o', '-a', '-P', '--output-document', '--output-file', '--append-output', '--directory-prefix'),
    operands: 'none',
    targetOptions: ['-O', '-o', '-a', '-P', '--output-document', '--output-file', '--append-output', '--directory-prefix'],
  },
  unzip: { verb: 'extracts to', valued: optionSet('-d', '-x'), operands: 'none', targetOptions: ['-d'] },
  rsync: { verb: 'copies to', valued: optionSet('-e', '--rsh', '--exclude', '--include', '--filter'), operands: 'last', remote: true },
  scp: { verb: 'copies to', valued: optionSet('-i', '-P', '-o', '-F', '-c', '-l', '-S', '-J'), operands: 'last', remote: true },
};

// What a command (wrappers already peeled) writes through its arguments.
export function findWriteTargets(words: readonly ShellWord[], home: string): WriteTarget[] {
  const program = words[0] && getProgramName(words[0], home);
  if (program === 'dd') return findDdOutput(words);
  const syntax = program === undefined ? undefined : WRITERS[program];
  if (!syntax) return [];
  const scanned = scanArguments(words, syntax.valued ?? new Set(), 1);
  const intent = { verb: syntax.verb };
  const targets: WriteTarget[] = getOptionValues(scanned, syntax.targetOptions ?? []).map((word) => ({ word, ...intent }));
  if (syntax.onlyWith && !hasOption(scanned, syntax.onlyWith)) return targets;
  const operands = getWrittenOperands(scanned, syntax, targets.length > 0);
  for (const word of operands.written) targets.push({ word, ...intent, deletes: syntax.deletes === true && syntax.operands !== 'last' });
  for (const word of operands.removed) targets.push({ word, verb: syntax.verb, deletes: true });
  return targets.filter((target) => !syntax.remote || !isRemote(target.word));
}

function getWrittenOperands(scanned: ScannedArguments, syntax: WriterSyntax, hasTargetOption: boolean): { written: ShellWord[]; removed: ShellWord[] } {
  let operands = scanned.operands.map((operand) => operand.word);
  if (syntax.scriptUnless && !hasOption(scanned, syntax.scriptUnless)) operands = operands.slice(1);
  switch (syntax.operands) {
    case 'all':
      return { written: operands, removed: [] };
    case 'allButFirst':
      return { written: operands.slice(1), removed: [] };
    case 'last': {
      // `cp -t DIR a b` writes DIR; `cp a` alone writes nothing.
      if (hasTargetOption) return { written: [], removed: syntax.deletes ? operands : [] };
      if (operands.length < 2) return { written: [], removed: [] };
      return { written: operands.slice(-1), removed: syntax.deletes ? operands.slice(0, -1) : [] };
    }
    case 'none':
      return { written: [], removed: [] };
  }
}

// dd writes `of=FILE`.
function findDdOutput(words: readonly ShellWord[]): WriteTarget[] {
  const targets: WriteTarget[] = [];
  for (const word of words.slice(1)) {
    const [first, ...rest] = word.parts;
    if (first?.type === 'text' && first.value.startsWith('of=')) targets.push({ word: { parts: [{ type: 'text', value: first.value.slice(3) }, ...rest] }, verb: 'writes' });
  }
  return targets;
}

// `host:path` and `user@host:path` name another machine; a local path has a slash before any colon.
function isRemote(word: ShellWord): boolean {
  const text = getLiteral(word) ?? '';
  const colon = text.indexOf(':');
  return colon > 0 && !text.slice(0, colon).includes('/');
}
