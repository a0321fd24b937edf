import type { CommandLine } from '../types.js';

// A probe command run by `sh -c` in the probe's scratch directory.
export function buildShellProbe(script: string, dir: string): CommandLine {
  return { file: 'sh', args: ['-c', script], env: {}, cwd: dir };
}
