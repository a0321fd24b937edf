import { resolve } from 'node:path';
import { Command } from 'commander';
import { getEnabledAgents, type AgentName } from '../../domain/index.js';
import { addDashboardOptions, type DashboardFlags } from '../dashboard-options.js';
import { addStatelyInspectorOption, type StatelyInspectorFlags } from '../stately-inspector-option.js';
import { loadConfig } from '../load-config.js';
import { parseAgentList } from '../options.js';
import { addPolicyOptions, toPolicyOverrides, type PolicyFlags } from '../policy-options.js';
import { startSession } from '../../runtime/start-session.js';
import { runSessionInTerminal, toTerminalOptions } from '../run-session.js';

interface RunFlags extends DashboardFlags, StatelyInspectorFlags, PolicyFlags {
  target: string;
  workspace?: string;
  db?: string;
  agents?: AgentName[];
  plan?: string;
  config?: string;
  init: boolean;
  json: boolean;
  verbose: boolean;
}

// `orchestrate run "<task>"`: one task across the available agents, on a branch of the target.
export function makeRunCommand(setExitCode: (code: number) => void): Command {
  return addPolicyOptions(addStatelyInspectorOption(addDashboardOptions(new Command('run'))))
    .description('run a coding task across the available agent CLIs, on a new branch of the target')
    .argument('<task>', 'what the agents should do')
    .option('--target <dir>', 'the git repository to work on', '.')
    .option('--workspace <dir>', 'where worktrees, logs and session state go (default: <target>/.orchestrate)')
    .option('--db <file>', 'the session database (default: <workspace>/orchestrate.db)')
    .option('--agents <list>', 'comma-separated agents to use: claude,codex,gemini', parseAgentList)
    .option('--plan <file>', 'a JSON plan of phases, roles and preferred agents instead of the default plan')
    .option('--config <file>', 'the config file (default: <target>/orchestrate.config.json when present)')
    .option('--init', 'turn a target that is not a git repository into one', false)
    .option('--json', 'print every event and the summary as JSON lines', false)
    .option('--verbose', 'print every agent message and tool call', false)
    .action(async (task: string, flags: RunFlags) => {
      const target = resolve(flags.target);
      const { config, plan } = await loadConfig({ configPath: flags.config, target, planPath: flags.plan, policy: toPolicyOverrides(flags) });
      const session = {
        task,
        target,
        // --workspace is relative to where you are; the config's workspace to the target.
        workspace: flags.workspace ? resolve(flags.workspace) : resolve(target, config.workspace ?? '.orchestrate'),
        dbPath: flags.db ? resolve(flags.db) : undefined,
        config,
        plan,
        agents: getEnabledAgents(config, flags.agents),
        initTarget: flags.init,
      };
      const code = await runSessionInTerminal(() => startSession(session), toTerminalOptions(flags));
      setExitCode(code);
    });
}
