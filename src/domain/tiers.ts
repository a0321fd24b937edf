import type { AgentName } from './agents.js';

/**
 * The fallback tiers, best first. The session's staffing region has one state per tier,
 * and drops to the best tier whose agents are all still available.
 */
export const TIERS = [
  { id: 'trio', label: 'all three agents', agents: ['gemini', 'claude', 'codex'] },
  { id: 'gemini-claude', label: 'Gemini + Claude', agents: ['gemini', 'claude'] },
  { id: 'gemini-codex', label: 'Gemini + Codex', agents: ['gemini', 'codex'] },
  { id: 'claude-codex', label: 'Claude + Codex', agents: ['claude', 'codex'] },
  { id: 'solo-claude', label: 'Claude alone', agents: ['claude'] },
  { id: 'solo-codex', label: 'Codex alone', agents: ['codex'] },
  { id: 'solo-gemini', label: 'Gemini alone', agents: ['gemini'] },
  { id: 'none', label: 'no agent', agents: [] },
] as const satisfies readonly { id: string; label: string; agents: readonly AgentName[] }[];

export type Tier = (typeof TIERS)[number];
export type TierId = Tier['id'];
export const TIER_IDS: readonly TierId[] = TIERS.map((tier) => tier.id);

// The best tier whose agents are all available.
export function selectTier(available: ReadonlySet<AgentName>): Tier {
  const tier = TIERS.find((t) => t.agents.every((agent) => available.has(agent)));
  // 'none' has no agents, so find() always succeeds.
  return tier ?? TIERS[TIERS.length - 1]!;
}

export function getTier(id: TierId): Tier {
  return TIERS.find((tier) => tier.id === id)!;
}

/** One step of the tier path a session took, and why. */
export interface TierChange {
  from: TierId | null;
  to: TierId;
  reason: string;
}
