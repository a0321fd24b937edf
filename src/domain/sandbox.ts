import { AGENT_LABELS, type AgentName } from './agents.js';
import type { AgentProbeResult } from './machine-inputs.js';
import type { PolicyConfig } from './policy-config.js';

/*
 * Whether an agent runs inside its CLI's own OS sandbox. An agent whose sandbox works here always gets
 * it; one whose sandbox cannot run is unavailable for the session, unless the user accepted running it
 * without one (policy.sandbox "off"), and the session records that it does (`sandbox.off`).
 */

/** What the availability probe found of an agent's sandbox on this machine. */
export type SandboxFinding = { ok: true } | { ok: false; reason: string };

/** How one agent runs under the policy's sandbox setting. */
export type SandboxDecision =
  | { run: 'sandboxed' }
  /** The session records `sandbox.off` with the reason. */
  | { run: 'unsandboxed'; reason: string }
  /** The agent is unavailable for the session: the reason says why and how to allow it. */
  | { run: 'refused'; reason: string };

// Decides how an agent runs, from the policy's setting and what the probe found.
export function decideSandbox(agent: AgentName, setting: PolicyConfig['sandbox'], finding: SandboxFinding): SandboxDecision {
  if (finding.ok) return { run: 'sandboxed' };
  const why = `${AGENT_LABELS[agent]} cannot run in its sandbox here: ${finding.reason}`;
  if (setting === 'off') return { run: 'unsandboxed', reason: `${why}. policy.sandbox is "off", so it runs without one` };
  return { run: 'refused', reason: `${why}. To run it without one, pass --allow-unsandboxed or set "policy": {"sandbox": "off"} in the config` };
}

// The availability probe of an agent with the decision folded in: refused makes it unavailable,
// unsandboxed marks it so.
export function applySandboxDecision(probe: AgentProbeResult, decision: SandboxDecision): AgentProbeResult {
  if (decision.run === 'refused') return { agent: probe.agent, available: false, version: probe.version, reason: decision.reason };
  if (decision.run === 'unsandboxed') return { ...probe, unsandboxed: decision.reason };
  return probe;
}

// Per agent, from its probe: why it runs without its CLI's sandbox (the `sandbox.off` reason), or
// undefined when it runs inside it. Its launches then carry `sandbox: 'off'`.
export function getUnsandboxedReason(probe: AgentProbeResult): string | undefined {
  return probe.available ? probe.unsandboxed : undefined;
}
