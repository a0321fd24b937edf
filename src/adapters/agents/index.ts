import type { AgentName } from '../../domain/index.js';
import { claudeAdapter } from './claude/index.js';
import { codexAdapter } from './codex/index.js';
import { geminiAdapter } from './gemini/index.js';
import type { AgentAdapter } from './types.js';

export type { AgentAdapter, CommandLine, LaunchPolicy, LaunchSpec, ProcessExit, ReviewLaunchSpec, SandboxProbe, StreamNormalizer } from './types.js';
export { claudeAdapter, codexAdapter, geminiAdapter };

/** Every agent CLI orchestrate can drive, by name. */
export const ADAPTERS: Record<AgentName, AgentAdapter> = {
  claude: claudeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
};

// The adapter for an agent name.
export function getAdapter(name: AgentName): AgentAdapter {
  return ADAPTERS[name];
}
