import { join } from 'node:path';
import type { ConfigOverlay, McpServerLaunch } from '../types.js';

/*
 * Gemini CLI 0.61 reads MCP servers only from its settings files. The system ones
 * (GEMINI_CLI_SYSTEM_SETTINGS_PATH, ..._DEFAULTS_PATH) are skipped unless the file and every directory above it
 * are owned by root and not group- or world-writable, and the workspace one is in the worktree, which is
 * committed. So the run gets GEMINI_CLI_HOME: a private home whose .gemini links to everything in the user's
 * own (credentials, sessions for --resume) except settings.json, which is the user's with our server added.
 * tmp/ and history/ are made in the user's directory first, so the sessions stored there outlive the run.
 */
// The variable Gemini reads its home from, and the settings that add one stdio MCP server.
export function buildGeminiMcpHome(mcp: McpServerLaunch): { env: Record<string, string>; configOverlay: ConfigOverlay } {
  const home = join(mcp.dir, 'gemini-home');
  // trust: calls run without a confirmation, which headless mode could not ask for anyway.
  const server = { command: mcp.command, args: mcp.args, env: mcp.env, trust: true };
  const configOverlay: ConfigOverlay = {
    dir: join(home, '.gemini'),
    homeVariables: ['GEMINI_CLI_HOME', 'HOME'],
    subdir: '.gemini',
    keep: ['tmp', 'history'],
    settingsFile: 'settings.json',
    settings: { mcpServers: { [mcp.name]: server } },
  };
  return { env: { GEMINI_CLI_HOME: home }, configOverlay };
}
