import { resolve } from 'node:path';
import { Command } from 'commander';
import { ADAPTERS } from '../../adapters/agents/index.js';
import { createAgentEnvironment } from '../../adapters/process/environment.js';
import { probeVersion } from '../../adapters/probe/version-probe.js';
import { probeAgent } from '../../actors/probe-agents.js';
import { AGENT_LABELS, AGENT_NAMES, getAgentSettings, type AgentName } from '../../domain/index.js';
import { EXIT_CODES } from '../../runtime/errors.js';
import { loadConfig } from '../load-config.js';

// `orchestrate doctor`: which agents are installed, their versions, what is missing and how to fix it.
export function makeDoctorCommand(setExitCode: (code: number) => void): Command {
  return new Command('doctor')
    .description('check which agent CLIs are installed and answer, and that git and node are usable')
    .option('--target <dir>', 'where to look for orchestrate.config.json', '.')
    .option('--config <file>', 'the config file')
    .option('--json', 'print the findings as JSON', false)
    .action(async (flags: { target: string; config?: string; json: boolean }) => {
      const { config } = await loadConfig({ configPath: flags.config, target: resolve(flags.target) });
      const env = createAgentEnvironment(process.env, {});
      const commands = getAgentSettings(config, 'command');
      const [agents, git] = await Promise.all([
        Promise.all(AGENT_NAMES.map((agent) => probeAgent({ adapters: ADAPTERS, commands, env }, agent))),
        probeVersion(['git'], ['--version'], env),
      ]);
      const enabled = (agent: AgentName) => config.agents[agent]?.enabled !== false;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ node: process.version, git, agents: agents.map((a) => ({ ...a, enabled: enabled(a.agent) })) })}\n`);
      } else {
        process.stdout.write(`node ${process.version}\n`);
        process.stdout.write(git.ok ? `git: ${git.version}\n` : `git: missing (${git.reason})\n`);
        for (const probe of agents) {
          const state = probe.available ? `ok, ${probe.version}` : `unavailable: ${probe.reason}`;
          process.stdout.write(`${AGENT_LABELS[probe.agent]}: ${state}${enabled(probe.agent) ? '' : ' (disabled in config)'}\n`);
        }
      }
      const usable = agents.some((probe) => probe.available && enabled(probe.agent));
      setExitCode(usable && git.ok ? EXIT_CODES.success : EXIT_CODES.noAgent);
    });
}
