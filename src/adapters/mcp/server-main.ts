#!/usr/bin/env node
// The orchestrator's MCP server, started by an agent CLI over stdio. Its environment (set in the MCP config the
// CLI was given) names the worker's channel and secret; tool arguments never do.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { sendReport } from './channel-client.js';
import { CHANNEL_SECRET_VAR, CHANNEL_SOCKET_VAR } from './protocol.js';
import { createChannelMcpServer } from './server.js';

const SERVER_VERSION = '0.1.0';

async function main(): Promise<number> {
  const socketPath = process.env[CHANNEL_SOCKET_VAR];
  const secret = process.env[CHANNEL_SECRET_VAR];
  if (!socketPath || !secret) {
    process.stderr.write(`orchestrate mcp server: ${CHANNEL_SOCKET_VAR} and ${CHANNEL_SECRET_VAR} must be set by the orchestrator\n`);
    return 2;
  }
  const server = createChannelMcpServer((kind, text) => sendReport(socketPath, { secret, kind, text }), SERVER_VERSION);
  await server.connect(new StdioServerTransport());
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`orchestrate mcp server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
