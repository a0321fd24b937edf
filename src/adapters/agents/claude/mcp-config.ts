import type { McpServerLaunch } from '../types.js';

/*
 * Not --strict-mcp-config: the user's own MCP servers stay available, ours is added. Its tools are named
 * mcp__<server>__<tool>; listed in --allowedTools they run without a permission prompt nobody could answer.
 */
// The names Claude gives an MCP server's tools.
export function claudeMcpToolNames(mcp: McpServerLaunch): string[] {
  return mcp.tools.map((tool) => `mcp__${mcp.name}__${tool}`);
}

// The --mcp-config document for one stdio server.
export function buildClaudeMcpConfig(mcp: McpServerLaunch): string {
  const server = { type: 'stdio', command: mcp.command, args: mcp.args, env: mcp.env };
  return `${JSON.stringify({ mcpServers: { [mcp.name]: server } }, null, 2)}\n`;
}
