import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { initRepository } from '../../adapters/git/index.js';
import { AGENT_NAMES, applyPolicyOverrides, ConfigFileSchema, createDefaultPlan } from '../../domain/index.js';
import { addDashboardOptions, type DashboardFlags } from '../dashboard-options.js';
import { addPolicyOptions, toPolicyOverrides, type PolicyFlags } from '../policy-options.js';
import { addStatelyInspectorOption, type StatelyInspectorFlags } from '../stately-inspector-option.js';
import { createDemoScenarios } from '../demo/scenarios.js';
import { writeDemoRepository } from '../demo/demo-repo.js';
import { startSession } from '../../runtime/start-session.js';
import { runSessionInTerminal, toTerminalOptions } from '../run-session.js';

export const DEMO_TASK = 'Add a farewell(name) function next to greet(name), with tests.';

// The simulated agent shipped in the package, run by the node that runs us.
function simCommand(vendor: string, scenario: string): string[] {
  const sim = fileURLToPath(new URL('../../adapters/sim/main.js', import.meta.url));
  return [process.execPath, sim, '--vendor', vendor, '--scenario', scenario, '--'];
}

// `orchestrate demo`: the default plan on a generated repository with simulated agents, one of
// which fails to authenticate so the session shows a tier fallback.
export function makeDemoCommand(setExitCode: (code: number) => void): Command {
  return addPolicyOptions(addStatelyInspectorOption(addDashboardOptions(new Command('demo'))))
    .description('run the default plan on a small generated repository with simulated agents (no API keys needed)')
    .option('--dir <dir>', 'where to create the demo repository (default: a new temporary directory)')
    .option('--json', 'print every event and the summary as JSON lines', false)
    .option('--verbose', 'print every agent message and tool call', false)
    .action(async (flags: DashboardFlags & StatelyInspectorFlags & PolicyFlags & { dir?: string; json: boolean; verbose: boolean }) => {
      const target = flags.dir ? resolve(flags.dir) : await mkdtemp(join(tmpdir(), 'orchestrate-demo-'));
      await writeDemoRepository(target);
      // Commit the project first, so the simulated agents' scenario files stay out of it.
      await initRepository(target);
      const workspace = join(target, '.orchestrate');
      const scenarioDir = join(workspace, 'demo-scenarios');
      await mkdir(scenarioDir, { recursive: true });
      const scenarios = createDemoScenarios();
      const agents: Record<string, { command: string[] }> = {};
      for (const agent of AGENT_NAMES) {
        const file = join(scenarioDir, `${agent}.json`);
        await writeFile(file, JSON.stringify(scenarios[agent], null, 2));
        agents[agent] = { command: simCommand(agent, file) };
      }
      // Simulated agents have no OS sandbox of their own: the demo runs them without one, and the session records it.
      const base = ConfigFileSchema.parse({ agents, timeouts: { idleSeconds: 30, phaseSeconds: 120, stopGraceSeconds: 2 }, policy: { sandbox: 'off' } });
      const config = { ...base, policy: applyPolicyOverrides(base.policy, toPolicyOverrides(flags)) };
      if (!flags.json) process.stdout.write(`demo repository: ${target}\n`);
      const session = { task: DEMO_TASK, target, workspace, config, plan: createDefaultPlan(), agents: [...AGENT_NAMES] };
      const code = await runSessionInTerminal(() => startSession(session), toTerminalOptions(flags, true));
      setExitCode(code);
    });
}
