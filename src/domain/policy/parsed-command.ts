/*
 * A shell command as the safety policy reads it. A real shell parser (an adapter) produces it;
 * pure policy decides on it. Words keep what is literal apart from what the shell computes at run
 * time, because a rule can only trust what is literal.
 */

/** What the shell computes at run time inside a word. */
export type ExpansionKind =
  /** `$(...)` or `` `...` ``: the output of commands. */
  | 'command'
  /** `<(...)` or `>(...)`: a path to a pipe of commands. */
  | 'process'
  /** `$((...))` or `$[...]`. */
  | 'arithmetic'
  /** `$1`, `$@`, `${x:-y}`, `${!x}`...: every parameter expansion but a plain `$NAME`. */
  | 'parameter'
  /** An unquoted glob, brace expansion or extended glob: the word may become other words, or several. */
  | 'pattern'
  /** `~user`, `~+`, `~-`. */
  | 'tilde'
  /** `$'...'` with backslash escapes. */
  | 'escapes'
  /** Words a wrapper supplies from its input (`xargs`, `find -exec ... {}`). */
  | 'input'
  /** Syntax the adapter does not know. */
  | 'unknown';

/** One piece of a word, quotes removed. An unquoted leading `~` is the variable HOME. */
export type WordPart =
  | { type: 'text'; value: string }
  | { type: 'variable'; name: string }
  | { type: 'expansion'; kind: ExpansionKind };

/** One word of a command: the program, an argument, an assigned value, a redirection target. */
export interface ShellWord {
  parts: WordPart[];
}

/** `NAME=value` before a program, alone, or given to `export`, `declare`, `local`, `readonly`. */
export interface ShellAssignment {
  name: string;
  value?: ShellWord;
}

/** Where a command's standard input comes from. */
export type StdinSource =
  | { from: 'inherited' }
  /** The output of the previous command of a pipeline. */
  | { from: 'pipe' }
  /** A file (`< file`). */
  | { from: 'file' }
  /** A here-document or here-string written in the command itself. */
  | { from: 'text'; text: ShellWord };

/** One simple command, wherever it sits: a list, a pipeline, a loop, a function, a substitution. */
export interface SimpleCommand {
  /** The program and its arguments; empty for assignments alone (`A=b`). */
  words: ShellWord[];
  assignments: ShellAssignment[];
  stdin: StdinSource;
}

/** A redirection to or from a file. Here-documents and here-strings are stdin text instead. */
export interface Redirection {
  /** `>`, `>>`, `>|`, `&>`, `&>>` and `<>` write their target; `<` reads it; `>&` and `<&` duplicate a descriptor, or (`>&file`) write a file. */
  op: string;
  target: ShellWord;
}

/** Structure worth knowing about; the kinds in HIDING_CONSTRUCTS hide what runs. */
export type ShellConstruct =
  | 'background'
  | 'subshell'
  | 'function'
  | 'hereDoc'
  | 'coprocess'
  | 'commandSubstitution'
  | 'processSubstitution'
  /** A quoted string or a substitution evaluated as arithmetic, where bash runs `a[$(cmd)]`. */
  | 'arithmeticEvaluation'
  /** `${x@P}`, which runs the substitutions inside the variable's value. */
  | 'promptExpansion'
  /** Syntax the adapter does not know how to read. */
  | 'unknownSyntax';

export const HIDING_CONSTRUCTS: ReadonlySet<ShellConstruct> = new Set(['arithmeticEvaluation', 'promptExpansion', 'unknownSyntax']);

/** A parsed shell script. */
export interface ShellScript {
  /** Every simple command, nested ones included (substitutions, subshells, functions, loops). */
  commands: SimpleCommand[];
  /** Every redirection to or from a file, on simple and compound commands alike. */
  redirections: Redirection[];
  /** Words that belong to no command: loop lists, `case` subjects. */
  otherWords: ShellWord[];
  /** Each construct seen, once. */
  constructs: ShellConstruct[];
}

export type ShellParseResult = { ok: true; script: ShellScript } | { ok: false; error: string };

/** Turns a command string into a ShellScript, or says why it cannot. Never throws. */
export type ShellParser = (source: string) => ShellParseResult;
