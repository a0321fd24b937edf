import { Command } from 'commander';
import { resumeSession } from '../../runtime/resume-session.js';
import { addDashboardOptions, type DashboardFlags } from '../dashboard-options.js';
import { addStatelyInspectorOption, type StatelyInspectorFlags } from '../stately-inspector-option.js';
import { runSessionInTerminal, toTerminalOptions } from '../run-session.js';
import { addStoreOptions, resolveStore, type StoreFlags } from '../store-options.js';

// `orchestrate resume <id>`: continues a session whose orchestrator was killed.
export function makeResumeCommand(setExitCode: (code: number) => void): Command {
  return addStatelyInspectorOption(addDashboardOptions(addStoreOptions(new Command('resume'))))
    .description('continue a session whose orchestrator was killed: reap its leftover agents, restore its machines, resume each agent')
    .argument('<id>', 'the session id')
    .option('--json', 'print every event and the summary as JSON lines', false)
    .option('--verbose', 'print every agent message and tool call', false)
    .action(async (id: string, flags: StoreFlags & DashboardFlags & StatelyInspectorFlags & { json: boolean; verbose: boolean }) => {
      const code = await runSessionInTerminal(() => resumeSession({ sessionId: id, ...resolveStore(flags) }), toTerminalOptions(flags));
      setExitCode(code);
    });
}
