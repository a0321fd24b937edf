import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerFrame } from '../../../src/adapters/mcp/protocol.js';
import { createChannelMcpServer, type ReportSender } from '../../../src/adapters/mcp/server.js';
import { CHANNEL_TOOLS, type ReportKind } from '../../../src/domain/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

// The server over an in-memory transport, with `send` standing in for the channel.
async function connectClient(send: ReportSender): Promise<Client> {
  const server = createChannelMcpServer(send, '0.0.0-test');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  closers.push(() => client.close(), () => server.close());
  return client;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { text: string }[]).map((c) => c.text).join('\n');
}

describe('the orchestrator MCP server', () => {
  it('offers the three tools, each with one required string argument and a description', async () => {
    const client = await connectClient(async () => ({ ok: true }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['report_milestone', 'report_blocker', 'request_review']);
    for (const tool of tools) {
      const spec = CHANNEL_TOOLS.find((t) => t.name === tool.name)!;
      expect(tool.description).toBe(spec.description);
      expect(tool.inputSchema.required).toEqual([spec.argument]);
      expect(tool.inputSchema.properties?.[spec.argument]).toMatchObject({ type: 'string', description: spec.argumentDescription });
    }
  });

  it('forwards each call as a report of its kind and answers that it was recorded', async () => {
    const sent: [ReportKind, string][] = [];
    const client = await connectClient(async (kind, text) => {
      sent.push([kind, text]);
      return { ok: true };
    });
    const results = [
      await client.callTool({ name: 'report_milestone', arguments: { summary: 'parser done' } }),
      await client.callTool({ name: 'report_blocker', arguments: { problem: 'no database' } }),
      await client.callTool({ name: 'request_review', arguments: { focus: 'src/parser.ts' } }),
    ];
    expect(sent).toEqual([
      ['milestone', 'parser done'],
      ['blocker', 'no database'],
      ['review', 'src/parser.ts'],
    ]);
    expect(results.map((r) => r.isError ?? false)).toEqual([false, false, false]);
    expect(textOf(results[0]!)).toMatch(/recorded/i);
  });

  it('answers a tool error when the orchestrator refuses the report or cannot be reached', async () => {
    const answers: (AnswerFrame | Error)[] = [{ ok: false, refused: 'unknownSecret', message: 'the secret is not this worker’s' }, new Error('connect ENOENT')];
    const client = await connectClient(async () => {
      const answer = answers.shift()!;
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const refused = await client.callTool({ name: 'report_milestone', arguments: { summary: 'x' } });
    const unreachable = await client.callTool({ name: 'report_milestone', arguments: { summary: 'x' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('unknownSecret');
    expect(unreachable.isError).toBe(true);
    expect(textOf(unreachable)).toContain('connect ENOENT');
  });

  it('rejects a call without its argument before anything is sent', async () => {
    const sent: string[] = [];
    const client = await connectClient(async (_kind, text) => {
      sent.push(text);
      return { ok: true };
    });
    const result = await client.callTool({ name: 'report_blocker', arguments: { workerId: 'worker:other' } });
    expect(result.isError).toBe(true);
    expect(sent).toEqual([]);
  });
});
