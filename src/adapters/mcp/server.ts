import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CHANNEL_SERVER_NAME, CHANNEL_TOOLS, type ReportKind } from '../../domain/index.js';
import { previewText } from '../agents/shared/preview.js';
import type { AnswerFrame } from './protocol.js';

/** Sends one report to the orchestrator and resolves with its answer. */
export type ReportSender = (kind: ReportKind, text: string) => Promise<AnswerFrame>;

/** What the model reads back after a report got through: short, so it goes back to work. */
const RECORDED: Record<ReportKind, string> = {
  milestone: 'Milestone recorded by the orchestrator. Carry on.',
  blocker: 'Blocker recorded by the orchestrator. Carry on with what you can do.',
  review: 'Review request recorded by the orchestrator. Carry on.',
};

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

// Forwards one tool call to the orchestrator and turns its answer into the tool's result.
async function forward(send: ReportSender, kind: ReportKind, text: string): Promise<CallToolResult> {
  try {
    const answer = await send(kind, previewText(text));
    if (answer.ok) return { content: [{ type: 'text', text: RECORDED[kind] }] };
    return toolError(`The orchestrator refused the report (${answer.refused}): ${answer.message}.`);
  } catch (error) {
    return toolError(`The report did not reach the orchestrator: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

// The orchestrator's MCP server: the channel's three tools, each with one required string argument.
export function createChannelMcpServer(send: ReportSender, version: string): McpServer {
  const server = new McpServer({ name: CHANNEL_SERVER_NAME, version });
  for (const tool of CHANNEL_TOOLS) {
    const inputSchema = { [tool.argument]: z.string().min(1).describe(tool.argumentDescription) };
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema,
        // It only tells the orchestrator something: it changes nothing in the agent's workspace or the world.
        annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
      },
      (args) => forward(send, tool.kind, String(args[tool.argument] ?? '')),
    );
  }
  return server;
}
