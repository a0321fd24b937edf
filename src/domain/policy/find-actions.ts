import type { ShellWord } from './parsed-command.js';
import type { WriteTarget } from './command-writes.js';
import { dynamicWord, getLiteral, literalWord } from './shell-words.js';

/*
 * `find` runs commands (`-exec rm {} ;`), deletes what it finds (`-delete`) and writes files
 * (`-fprint out`): it is a wrapper whose command sits in the middle of its expression.
 */

const EXEC_ACTIONS = ['-exec', '-execdir', '-ok', '-okdir'];
const FILE_ACTIONS = ['-fprint', '-fprint0', '-fprintf', '-fls'];

/** What a find command runs and writes. */
export interface FindActions {
  /** Each `-exec` command; `{}` is a word only known at run time. */
  commands: ShellWord[][];
  writes: WriteTarget[];
}

// Reads find's starting points and expression.
export function readFindActions(words: readonly ShellWord[]): FindActions {
  const actions: FindActions = { commands: [], writes: [] };
  const starts: ShellWord[] = [];
  let inExpression = false;
  for (let at = 1; at < words.length; at++) {
    const word = words[at] as ShellWord;
    const text = getLiteral(word);
    if (!inExpression) {
      // find [-H] [-L] [-P] [-D opts] [-Olevel] [starting point...] [expression]
      if (text === '-D') at++;
      else if (text === undefined || !/^[-(!]/.test(text)) starts.push(word);
      else inExpression = !/^-([HLP]|O\d*)$/.test(text);
      if (!inExpression) continue;
    }
    if (text !== undefined && EXEC_ACTIONS.includes(text)) {
      const end = findActionEnd(words, at + 1);
      actions.commands.push(words.slice(at + 1, end).map((part) => (getLiteral(part)?.includes('{}') ? dynamicWord('input') : part)));
      at = end;
    } else if (text !== undefined && FILE_ACTIONS.includes(text) && words[at + 1]) {
      actions.writes.push({ word: words[at + 1] as ShellWord, verb: 'writes' });
      at++;
    } else if (text === '-delete') {
      // What it finds is somewhere below each starting point (the current directory when none is given).
      for (const start of starts.length > 0 ? starts : [literalWord('.')]) {
        actions.writes.push({ word: { parts: [...start.parts, { type: 'text', value: '/' }, ...dynamicWord('input').parts] }, verb: 'deletes what it finds under', deletes: true });
      }
    }
  }
  return actions;
}

// An -exec command ends at `;` or `+`.
function findActionEnd(words: readonly ShellWord[], from: number): number {
  for (let at = from; at < words.length; at++) {
    const text = getLiteral(words[at] as ShellWord);
    if (text === ';' || text === '+') return at;
  }
  return words.length;
}
