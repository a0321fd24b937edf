import type { McpServerLaunch } from '../types.js';
import { tomlInlineTable, tomlKey, tomlString, tomlStringArray } from '../shared/toml.js';

// The `-c mcp_servers.<name>.*` overrides that give Codex one stdio MCP server. They add to the user's own
// servers in config.toml. The env table carries the secret, so it is on Codex's command line.
export function buildCodexMcpOverrides(mcp: McpServerLaunch): string[] {
  const key = `mcp_servers.${tomlKey(mcp.name)}`;
  return [
    '-c',
    `${key}.command=${tomlString(mcp.command)}`,
    '-c',
    `${key}.args=${tomlStringArray(mcp.args)}`,
    '-c',
    `${key}.env=${tomlInlineTable(mcp.env)}`,
  ];
}
