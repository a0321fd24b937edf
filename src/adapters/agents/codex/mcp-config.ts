import type { McpServerLaunch } from '../types.js';

/*
 * Codex takes config overrides as `-c <dotted.path>=<TOML value>` (codex exec --help). A JSON string literal
 * is a TOML basic string once DEL is escaped too; keys outside [A-Za-z0-9_-] are quoted the same way.
 */
function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function tomlInlineTable(table: Record<string, string>): string {
  return `{${Object.entries(table).map(([key, value]) => `${tomlKey(key)}=${tomlString(value)}`).join(',')}}`;
}

// The `-c mcp_servers.<name>.*` overrides that give Codex one stdio MCP server. They add to the user's own
// servers in config.toml. The env table carries the secret, so it is on Codex's command line.
export function buildCodexMcpOverrides(mcp: McpServerLaunch): string[] {
  const key = `mcp_servers.${tomlKey(mcp.name)}`;
  return [
    '-c',
    `${key}.command=${tomlString(mcp.command)}`,
    '-c',
    `${key}.args=[${mcp.args.map(tomlString).join(',')}]`,
    '-c',
    `${key}.env=${tomlInlineTable(mcp.env)}`,
  ];
}
