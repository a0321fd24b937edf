/** The command that merges a session branch into the target. */
export interface MergeCommand {
  /** The command as an argument vector, for running it without a shell. */
  argv: string[];
  /** The same command quoted for a POSIX shell, to print for the user. */
  text: string;
}

/** Which branch to merge into which repository. */
export interface MergeOptions {
  repoRoot: string;
  branch: string;
}

// Describes, never runs, the merge of a session branch into whatever the target has checked out.
// --no-ff keeps the session as one merge commit; --no-edit takes git's own message instead of opening an editor.
export function describeMerge(options: MergeOptions): MergeCommand {
  const argv = ['git', '-C', options.repoRoot, 'merge', '--no-ff', '--no-edit', options.branch];
  return { argv, text: argv.map(quoteForShell).join(' ') };
}

// Single-quotes an argument unless it consists only of characters no POSIX shell treats specially.
function quoteForShell(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
