import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { stripJsonComments } from '../process/config-overlay.js';
import type { Vendor } from './invocation.js';
import { parseTomlValue, type TomlValue } from './toml-value.js';

/** A stdio MCP server as a CLI's configuration describes it. */
export interface McpServerConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stringTable(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

// The stdio servers of an `mcpServers` object (Claude's --mcp-config, Gemini's settings).
function fromMcpServers(mcpServers: unknown, into: Map<string, McpServerConfig>): void {
  if (!isObject(mcpServers)) return;
  for (const [name, entry] of Object.entries(mcpServers)) {
    if (!isObject(entry) || typeof entry.command !== 'string') continue;
    into.set(name, { command: entry.command, args: strings(entry.args), env: stringTable(entry.env) });
  }
}

function readJson(file: string): unknown {
  return JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
}

// Claude: every value of `--mcp-config <configs...>` (variadic), each a JSON string or a file, relative to the cwd.
function claudeServers(args: readonly string[], cwd: string, into: Map<string, McpServerConfig>): void {
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--mcp-config') continue;
    for (; i + 1 < args.length && !args[i + 1]!.startsWith('-'); i++) {
      const value = args[i + 1]!;
      const config = value.trimStart().startsWith('{') ? JSON.parse(value) : readJson(isAbsolute(value) ? value : resolve(cwd, value));
      if (isObject(config)) fromMcpServers(config.mcpServers, into);
    }
  }
}

// Codex: every `-c`/`--config mcp_servers.<name>.<field>=<TOML value>` override.
function codexServers(args: readonly string[], into: Map<string, McpServerConfig>): void {
  const fields = new Map<string, Record<string, TomlValue>>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const override = arg === '-c' || arg === '--config' ? args[++i] : arg.startsWith('--config=') ? arg.slice(9) : undefined;
    const match = override === undefined ? null : /^mcp_servers\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(override);
    if (!match) continue;
    const [, name = '', field = '', value = ''] = match;
    fields.set(name, { ...fields.get(name), [field]: parseTomlValue(value) });
  }
  for (const [name, entry] of fields) {
    if (typeof entry.command === 'string') into.set(name, { command: entry.command, args: strings(entry.args), env: stringTable(entry.env) });
  }
}

// Gemini: the user settings file, in GEMINI_CLI_HOME or the home directory.
function geminiServers(env: NodeJS.ProcessEnv, into: Map<string, McpServerConfig>): void {
  const home = env.GEMINI_CLI_HOME || env.HOME || homedir();
  try {
    const settings = readJson(join(home, '.gemini', 'settings.json'));
    if (isObject(settings)) fromMcpServers(settings.mcpServers, into);
  } catch {
    // No settings file: no servers, as with the real CLI.
  }
}

// The MCP servers the real CLI would start, found where it finds them: its command line or its settings.
export function findMcpServers(vendor: Vendor, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Map<string, McpServerConfig> {
  const servers = new Map<string, McpServerConfig>();
  if (vendor === 'claude') claudeServers(args, cwd, servers);
  else if (vendor === 'codex') codexServers(args, servers);
  else geminiServers(env, servers);
  return servers;
}
