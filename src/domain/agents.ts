import { z } from 'zod';

/** The agent CLIs orchestrate knows how to drive. */
export const AgentNameSchema = z.enum(['claude', 'codex', 'gemini']);
export type AgentName = z.infer<typeof AgentNameSchema>;

export const AGENT_NAMES: readonly AgentName[] = AgentNameSchema.options;

/** Human-readable names, used in summaries and the dashboard. */
export const AGENT_LABELS: Record<AgentName, string> = {
  claude: 'Claude Code',
  codex: 'Codex CLI',
  gemini: 'Gemini CLI',
};

/** Roles a plan assigns to agents. */
export const RoleSchema = z.enum(['architect', 'implementer', 'reviewer']);
export type Role = z.infer<typeof RoleSchema>;
