import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { McpServerConfig } from './mcp-servers.js';

/** What a tool call returned: its text, and whether the server flagged it as an error. */
export interface McpOutcome {
  ok: boolean;
  text: string;
}

const CALL_TIMEOUT_MS = 30_000;

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content.flatMap((block: unknown) => (typeof block === 'object' && block !== null && 'text' in block ? [String(block.text)] : [])).join('\n');
}

// Starts the server as a CLI does (stdio, its configured environment over a minimal one), calls one tool and
// stops the server again. `env` overrides the configured environment (a scenario playing another worker).
export async function callMcpTool(server: McpServerConfig, tool: string, args: Record<string, unknown>, env: Record<string, string> = {}): Promise<McpOutcome> {
  const transport = new StdioClientTransport({
    command: server.command,
    args: server.args,
    env: { ...getDefaultEnvironment(), ...server.env, ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'orchestrate-sim', version: '0.1.0' });
  try {
    await client.connect(transport, { timeout: CALL_TIMEOUT_MS });
    const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS });
    return { ok: result.isError !== true, text: textOf(result.content) };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close().catch(() => undefined);
  }
}
