import { fromPromise } from 'xstate';
import type { AgentAdapter } from '../adapters/agents/types.js';
import { probeSandbox } from '../adapters/probe/sandbox-probe.js';
import { probeVersion } from '../adapters/probe/version-probe.js';
import { applySandboxDecision, decideSandbox, type AgentName, type PolicyConfig } from '../domain/index.js';
import type { AgentProbe } from '../machines/slots.js';

/** How a person installs each agent CLI, for the message when one is missing. */
export const INSTALL_HINTS: Record<AgentName, string> = {
  claude: 'npm install -g @anthropic-ai/claude-code',
  codex: 'npm install -g @openai/codex',
  gemini: 'npm install -g @google/gemini-cli',
};

export interface ProbeDeps {
  adapters: Record<AgentName, AgentAdapter>;
  commands: Partial<Record<AgentName, readonly string[]>>;
  env: Record<string, string>;
  /** The policy's sandbox setting; when given, each installed agent's own sandbox is probed too. */
  sandbox?: PolicyConfig['sandbox'];
}

/** Where the probeAgents actor records its findings, so a replay can answer the same. */
export interface ProbeRecorder {
  append(workerId: string, body: { type: 'session.probed'; probes: AgentProbe[] }): unknown;
}

// Probes one agent: is its binary there, does it answer --version, and (with a sandbox setting) can its
// sandbox run here, and may it run without one.
export async function probeAgent(deps: ProbeDeps, agent: AgentName): Promise<AgentProbe> {
  const adapter = deps.adapters[agent];
  const command = deps.commands[agent] ?? adapter.defaultCommand;
  const probe = await probeVersion(command, adapter.versionArgs, deps.env);
  if (!probe.ok) {
    const hint = probe.reason.includes('not found') ? ` (install: ${INSTALL_HINTS[agent]})` : '';
    return { agent, available: false, reason: `${probe.reason}${hint}` };
  }
  const available: AgentProbe = { agent, available: true, version: probe.version };
  if (deps.sandbox === undefined) return available;
  const finding = await probeSandbox(adapter, command, deps.env);
  return applySandboxDecision(available, decideSandbox(agent, deps.sandbox, finding));
}

// The probeAgents actor: all agents in parallel, recorded in the log.
export function createProbeAgentsLogic(deps: ProbeDeps, log: ProbeRecorder) {
  return fromPromise<AgentProbe[], { agents: AgentName[] }>(async ({ input }) => {
    const probes = await Promise.all(input.agents.map((agent) => probeAgent(deps, agent)));
    log.append('session', { type: 'session.probed', probes });
    return probes;
  });
}
