// What an agent may see of our environment: what a shell and a Node CLI need to run, plus the
// variables the three vendors read (keys, base URLs, config homes). Everything else stays out.
const KEPT_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'TERM',
  'TMPDIR',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
]);
const KEPT_PREFIXES = ['LC_', 'ANTHROPIC_', 'CLAUDE_', 'OPENAI_', 'CODEX_', 'GEMINI_', 'GOOGLE_'];

// The orchestrator's own settings and secrets (the dashboard token among them) live here: an agent
// that could read them could approve its own requests.
const FORBIDDEN_PREFIX = 'ORCHESTRATE_';

// Builds the complete environment of an agent process from ours: the scrubbed base, then `extra`
// (from the adapter), with anything named ORCHESTRATE_* dropped even when allowed or passed in extra.
export function createAgentEnvironment(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string>,
  allow: readonly string[] = [],
): Record<string, string> {
  const allowed = new Set(allow);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && isKept(name, allowed)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (!name.startsWith(FORBIDDEN_PREFIX)) env[name] = value;
  }
  return env;
}

function isKept(name: string, allowed: ReadonlySet<string>): boolean {
  if (name.startsWith(FORBIDDEN_PREFIX)) return false;
  return KEPT_NAMES.has(name) || allowed.has(name) || KEPT_PREFIXES.some((prefix) => name.startsWith(prefix));
}
