import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { ResourceLimits } from './limit-breach.js';

/*
 * Kernel resource limits set at spawn with util-linux `prlimit`, which sets them on itself and then
 * execs the agent, so the agent and everything it starts inherit them (the pid, and so the process
 * group, stay the same). RLIMIT_DATA bounds each process's writable memory and RLIMIT_CPU its CPU
 * time. Never RLIMIT_AS: V8 and WebAssembly reserve about 10 GB of address space, and a Node-based
 * CLI under it fails at boot (nodejs/node#56596).
 */

/** A command line, before or after wrapping. */
export interface Command {
  file: string;
  args: string[];
}

/** After the soft CPU limit's SIGXCPU, the hard limit's SIGKILL follows this much CPU time later. */
const CPU_KILL_AFTER_SECONDS = 5;

// Finds util-linux prlimit on the PATH given; undefined when it is missing (not Linux, a minimal image).
export function findPrlimit(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath('prlimit', env.PATH);
}

// The command run under the limits. A command that cannot be found is left as it is, so its spawn
// fails as it would have (prlimit would turn "not installed" into an ordinary exit code).
export function wrapWithOsLimits(prlimit: string, command: Command, limits: ResourceLimits, where: { cwd: string; env: Record<string, string> }): Command {
  const flags = getLimitFlags(limits, readHardLimits());
  if (flags.length === 0 || !isRunnable(command.file, where)) return command;
  return { file: prlimit, args: [...flags, '--', command.file, ...command.args] };
}

// prlimit's flags for the limits, each kept within the hard limit the orchestrator itself runs under
// (an unprivileged process may lower a hard limit, never raise it).
function getLimitFlags(limits: ResourceLimits, hard: HardLimits): string[] {
  const flags: string[] = [];
  if (limits.memoryMb !== undefined) flags.push(`--data=${Math.min(limits.memoryMb * 1024 * 1024, hard.dataBytes)}`);
  if (limits.cpuSeconds !== undefined) {
    const soft = Math.min(limits.cpuSeconds, hard.cpuSeconds);
    flags.push(`--cpu=${soft}:${Math.min(soft + CPU_KILL_AFTER_SECONDS, hard.cpuSeconds)}`);
  }
  return flags;
}

interface HardLimits {
  dataBytes: number;
  cpuSeconds: number;
}

// The orchestrator's own hard limits, from /proc/self/limits; unlimited when unreadable.
function readHardLimits(): HardLimits {
  let text = '';
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    // Not Linux: nothing is known, nothing is capped.
  }
  return { dataBytes: readHardLimit(text, 'Max data size'), cpuSeconds: readHardLimit(text, 'Max cpu time') };
}

function readHardLimit(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  const hard = line?.slice(name.length).trim().split(/\s+/)[1];
  return hard === undefined || hard === 'unlimited' ? Infinity : Number(hard);
}

// Whether spawn would find an executable file: a path is taken relative to the cwd, a bare name from PATH.
function isRunnable(file: string, where: { cwd: string; env: Record<string, string> }): boolean {
  if (file.includes('/')) return isExecutableFile(resolve(where.cwd, file));
  return findOnPath(file, where.env.PATH) !== undefined;
}

function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
