import { resolve } from 'node:path';

// The three vendor CLIs the sim can impersonate.
export const VENDORS = ['claude', 'codex', 'gemini'] as const;
// A vendor name.
export type Vendor = (typeof VENDORS)[number];

// What the sim understood of the vendor's own command line.
export interface Invocation {
  vendor: Vendor;
  prompt: string;
  cwd: string;
  /** `--resume <id>` (claude, gemini) or `exec resume <id>` (codex). */
  resumeId?: string;
  /** `--session-id <uuid>` (claude, gemini). */
  sessionId?: string;
  forkSession: boolean;
  model?: string;
  version: boolean;
  /** Flags and values by long name; boolean flags map to `true`. */
  flags: ReadonlyMap<string, string | true>;
}

// Flags that take a value, by vendor; every other flag is treated as boolean.
const VALUE_FLAGS: Record<Vendor, string[]> = {
  claude: [
    '--output-format', '--input-format', '--permission-mode', '--allowedTools', '--allowed-tools',
    '--disallowedTools', '--disallowed-tools', '--tools', '--model', '--fallback-model', '--effort',
    '--max-turns', '--max-budget-usd', '--add-dir', '--resume', '--session-id', '--system-prompt',
    '--append-system-prompt', '--mcp-config', '--settings', '--setting-sources', '--json-schema',
    '--permission-prompt-tool', '--agents', '--betas',
  ],
  codex: [
    '--config', '--cd', '--sandbox', '--model', '--profile', '--add-dir', '--output-last-message',
    '--output-schema', '--image', '--color', '--local-provider', '--enable', '--disable',
  ],
  gemini: [
    '--prompt', '--output-format', '--approval-mode', '--model', '--resume', '--session-id',
    '--include-directories', '--policy', '--admin-policy', '--allowed-tools', '--allowed-mcp-server-names',
    '--extensions', '--session-file', '--delete-session',
  ],
};

const SHORT: Record<Vendor, Record<string, string>> = {
  claude: { '-p': '--print', '-r': '--resume', '-c': '--continue', '-v': '--version', '-d': '--debug' },
  codex: {
    '-C': '--cd', '-m': '--model', '-s': '--sandbox', '-c': '--config', '-p': '--profile',
    '-V': '--version', '-o': '--output-last-message', '-i': '--image',
  },
  gemini: {
    '-p': '--prompt', '-m': '--model', '-r': '--resume', '-o': '--output-format', '-y': '--yolo',
    '-v': '--version', '-d': '--debug', '-i': '--prompt-interactive', '-e': '--extensions',
  },
};

function scan(vendor: Vendor, args: readonly string[]): { flags: Map<string, string | true>; positionals: string[] } {
  const valueFlags = new Set(VALUE_FLAGS[vendor]);
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = eq > 0 ? arg.slice(0, eq) : arg;
    const name = SHORT[vendor][rawName] ?? rawName;
    if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else if (valueFlags.has(name)) flags.set(name, args[++i] ?? '');
    else flags.set(name, true);
  }
  return { flags, positionals };
}

function text(flags: ReadonlyMap<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

// Parses the vendor's own arguments loosely: unknown flags are ignored, never rejected.
export function parseInvocation(vendor: Vendor, args: readonly string[], processCwd: string): Invocation {
  const { flags, positionals } = scan(vendor, args);
  const base = {
    vendor,
    cwd: processCwd,
    forkSession: flags.has('--fork-session'),
    model: text(flags, '--model'),
    version: flags.has('--version'),
    sessionId: text(flags, '--session-id'),
    flags,
  };
  if (vendor === 'claude') {
    return { ...base, prompt: positionals.join(' '), resumeId: text(flags, '--resume') };
  }
  if (vendor === 'gemini') {
    return { ...base, prompt: text(flags, '--prompt') ?? positionals.join(' '), resumeId: text(flags, '--resume') };
  }
  const pos = positionals[0] === 'exec' || positionals[0] === 'e' ? positionals.slice(1) : positionals;
  const cd = text(flags, '--cd');
  const cwd = cd === undefined ? processCwd : resolve(processCwd, cd);
  if (pos[0] === 'resume') {
    if (flags.has('--last')) return { ...base, cwd, prompt: pos.slice(1).join(' ') };
    return { ...base, cwd, resumeId: pos[1], prompt: pos.slice(2).join(' ') };
  }
  return { ...base, cwd, prompt: pos.join(' ') };
}

// True for the read-only invocations reviews use: Claude and Gemini in plan mode, Codex in the read-only sandbox.
export function isReviewInvocation(inv: Invocation): boolean {
  if (inv.vendor === 'codex') return inv.flags.get('--sandbox') === 'read-only';
  const mode = inv.vendor === 'claude' ? '--permission-mode' : '--approval-mode';
  return inv.flags.get(mode) === 'plan';
}

// The line each real CLI prints for --version.
export const VERSION_LINES: Record<Vendor, string> = {
  claude: '2.1.197 (Claude Code)',
  codex: 'codex-cli 0.169.0',
  gemini: '0.61.0',
};

// A flag's values: one, or a comma-separated list (Gemini's --include-directories).
export function flagValues(inv: Invocation, flag: string): string[] {
  const value = inv.flags.get(flag);
  return typeof value === 'string' ? value.split(',').filter(Boolean) : [];
}

// True when a path lies in one of the directories.
export function isInsideAny(path: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => path === dir || path.startsWith(`${resolve(dir)}/`));
}
