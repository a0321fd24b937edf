import type { McpServerLaunch } from '../../../src/adapters/agents/types.js';

/** The orchestrator's MCP server as a channel registration describes it, for the command tests. */
export const MCP_LAUNCH: McpServerLaunch = {
  name: 'orchestrate',
  command: '/usr/bin/node',
  args: ['/opt/orche"strate/dist/adapters/mcp/server-main.js'],
  env: { ORCHESTRATE_CHANNEL: '/tmp/orchestrate-Ab12Cd/w1.sock', ORCHESTRATE_CHANNEL_SECRET: 'ab'.repeat(32) },
  tools: ['report_milestone', 'report_blocker', 'request_review'],
  dir: '/tmp/orchestrate-Ab12Cd/w1',
};
