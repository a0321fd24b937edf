// How the bench runs the simulated agent: as a bare child, started as its vendor's adapter starts
// it, or as every agent of a real session.
import { fileURLToPath } from 'node:url';
import { getAdapter } from '../src/adapters/agents/index.js';
import { createAgentEnvironment } from '../src/adapters/process/environment.js';
import { AGENT_NAMES, ConfigFileSchema, type AgentName, type ConfigFile } from '../src/domain/index.js';
import type { RunningSession } from '../src/runtime/start-session.js';
import type { SimCommand } from './protocol.js';
import type { RunContext } from './run-context.js';

export const SIM_MAIN = fileURLToPath(new URL('../src/adapters/sim/main.js', import.meta.url));

/** What a bare sim child is asked to do, as a worker would ask its agent. */
export interface SimLaunch {
  prompt: string;
  cwd: string;
  skipTrust: boolean;
}

// The sim of `vendor` on a scenario, started as the vendor's adapter starts its CLI: its command
// line and its environment. simLead is the agent command a session would be configured with.
export function simCommand(vendor: AgentName, scenarioFile: string, launch: SimLaunch): { simLead: string[]; command: SimCommand } {
  const simLead = [process.execPath, SIM_MAIN, '--vendor', vendor, '--scenario', scenarioFile, '--'];
  const built = getAdapter(vendor).buildCommand({ ...launch, extraDirs: [] }, simLead);
  return { simLead, command: { ...built, env: createAgentEnvironment(process.env, built.env) } };
}

// Every agent is the sim of its vendor running the scenario file.
export function simConfig(scenarioFile: string): ConfigFile {
  const agents = Object.fromEntries(
    AGENT_NAMES.map((agent) => [agent, { command: [process.execPath, SIM_MAIN, '--vendor', agent, '--scenario', scenarioFile, '--'] }]),
  );
  // Simulated agents have no OS sandbox of their own. Peer review is off: the bench measures the
  // pipeline, and a lone agent's review would wait for a person.
  return ConfigFileSchema.parse({ agents, timeouts: { idleSeconds: 60, phaseSeconds: 600, stopGraceSeconds: 1 }, policy: { sandbox: 'off' }, review: { enabled: false } });
}

// Reports each agent group the session starts and ends, so that what is left can be killed.
export function watchGroups(session: RunningSession, groups: Pick<RunContext, 'track' | 'untrack'>): void {
  const groupOf = new Map<string, number>();
  session.log.subscribe((entry) => {
    if (entry.type === 'process.spawned') {
      groupOf.set(entry.workerId, entry.pgid);
      groups.track(entry.pgid);
    } else if (entry.type === 'agent.exited') {
      const pgid = groupOf.get(entry.workerId);
      if (pgid === undefined) return;
      groupOf.delete(entry.workerId);
      groups.untrack(pgid);
    }
  });
}
