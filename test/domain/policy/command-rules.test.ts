import { describe, expect, it } from 'vitest';
import { dynamicWord, literalWord, matchCommandRule, parseCommandRule, type ShellWord } from '../../../src/domain/index.js';

// A command line of literal words; `$X` stands for a word only known at run time.
function words(line: string): ShellWord[] {
  return line.split(' ').map((word) => (word === '$X' ? dynamicWord('parameter') : literalWord(word)));
}

function match(line: string, rule: string) {
  const parsed = parseCommandRule(rule);
  if (!parsed) throw new Error(`empty rule ${rule}`);
  const command = words(line);
  const program = line.split(' ')[0]?.split('/').at(-1) ?? '';
  return matchCommandRule(command, program, parsed);
}

describe('parseCommandRule', () => {
  it('reads the program, the leading words and the flags in their canonical spelling', () => {
    expect(parseCommandRule('rm --recursive --force')).toEqual({ source: 'rm --recursive --force', program: 'rm', words: [], flags: ['-r', '-f'] });
    expect(parseCommandRule('npm i -g')).toEqual({ source: 'npm i -g', program: 'npm', words: ['install'], flags: ['-g'] });
    expect(parseCommandRule('/usr/bin/git push --force')).toMatchObject({ program: 'git', words: ['push'], flags: ['-f'] });
    expect(parseCommandRule('   ')).toBeUndefined();
  });
});

describe('matchCommandRule', () => {
  it.each([
    ['rm -rf /x', 'rm -rf'],
    ['rm -fr /x', 'rm -rf'],
    ['rm -r -f /x', 'rm -rf'],
    ['rm -f -R /x', 'rm -rf'],
    ['rm --recursive --force /x', 'rm -rf'],
    ['rm /x -rf', 'rm -rf'],
    ['git push', 'git push'],
    ['git -C repo push', 'git push'],
    ['git -c user.name=x push origin', 'git push'],
    ['git --git-dir /r/.git push', 'git push'],
    ['git --no-pager push', 'git push'],
    ['git push origin main --force', 'git push --force'],
    ['git push -f', 'git push --force'],
    ['git push --force-with-lease', 'git push --force'],
    ['git push origin +main', 'git push --force'],
    ['npm i -g x', 'npm install'],
    ['npm add x', 'npm install'],
    ['npm isntall x', 'npm install'],
    ['npm install --global x', 'npm install -g'],
    ['npm --prefix /p publish', 'npm publish'],
    ['pip3 install x', 'pip install'],
    ['python3.12 x', 'python'],
    ['mkfs.ext4 /dev/sda', 'mkfs'],
    ['yarn global add x', 'yarn global add'],
    ['apt-get -y install x', 'apt-get install'],
    ['apt-get -o Debug=1 install x', 'apt-get install'],
  ])('%j falls under "%s"', (line, rule) => {
    expect(match(line, rule)).toBe('match');
  });

  it.each([
    ['rm -r /x', 'rm -rf'],
    ['rm -- -rf', 'rm -rf'],
    ['git commit -m push', 'git push'],
    ['git status', 'git push'],
    ['git log --grep push', 'git push'],
    ['npm run install', 'npm install'],
    ['npm ci', 'npm install'],
    ['git push origin main', 'git push --force'],
    ['sudoedit x', 'sudo'],
    ['pipx install x', 'pip install'],
  ])('%j does not fall under "%s"', (line, rule) => {
    expect(match(line, rule)).toBe('none');
  });

  it.each([
    ['git $X', 'git push'],
    ['git push origin $X', 'git push --force'],
    ['rm -f $X', 'rm -rf'],
    ['npm $X x', 'npm install'],
  ])('%j may fall under "%s", depending on a word only known at run time', (line, rule) => {
    expect(match(line, rule)).toBe('maybe');
  });

  it('does not let a word only known at run time stand for a leading word already decided', () => {
    expect(match('git commit -m $X', 'git push')).toBe('none');
  });
});
