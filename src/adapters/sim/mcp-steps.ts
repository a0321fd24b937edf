import { readFileSync, writeFileSync } from 'node:fs';
import { CHANNEL_SERVER_NAME } from '../../domain/index.js';
import { CHANNEL_SECRET_VAR } from '../mcp/protocol.js';
import { callMcpTool, type McpOutcome } from './mcp-call.js';
import type { McpServerConfig } from './mcp-servers.js';
import type { Step } from './scenario.js';
import type { LineSink } from './sink.js';
import type { VendorWriter } from './writer.js';

type McpSpec = Extract<Step, { mcp: unknown }>['mcp'];
type SaveSecretSpec = Extract<Step, { saveSecret: unknown }>['saveSecret'];

/** What the MCP steps work with: the servers found in the command line, where files go, how output is printed. */
export interface McpStepContext {
  servers: ReadonlyMap<string, McpServerConfig>;
  /** A scenario path made absolute inside the working directory. */
  inside(path: string): string;
  writer: VendorWriter;
  out: LineSink;
}

// The secret the step reports with instead of the server's own: given, read from a file, or none.
function replacedSecret(spec: McpSpec, ctx: McpStepContext): Record<string, string> {
  if (spec.secret !== undefined) return { [CHANNEL_SECRET_VAR]: spec.secret };
  if (spec.secretFile !== undefined) return { [CHANNEL_SECRET_VAR]: readFileSync(ctx.inside(spec.secretFile), 'utf8').trim() };
  return {};
}

// Runs an `mcp` step: the model calls the tool, the sim starts the server named in its command line, calls
// it over stdio and prints the call and its result the vendor's way. A server the command line does not name
// gives the tool error a CLI would report.
export async function runMcpStep(spec: McpSpec, ctx: McpStepContext): Promise<void> {
  const name = spec.server ?? CHANNEL_SERVER_NAME;
  const args = spec.arguments ?? {};
  const id = ctx.writer.mcpStart(name, spec.tool, args);
  await ctx.out.flush();
  const server = ctx.servers.get(name);
  const outcome: McpOutcome = server
    ? await callMcpTool(server, spec.tool, args, replacedSecret(spec, ctx))
    : { ok: false, text: `No MCP server named ${name} is configured` };
  ctx.writer.mcpEnd(id, name, spec.tool, args, outcome);
}

// Runs a `saveSecret` step: writes the secret the named server was given to a file in the working directory.
export function runSaveSecretStep(spec: SaveSecretSpec, ctx: McpStepContext): void {
  const name = spec.server ?? CHANNEL_SERVER_NAME;
  const secret = ctx.servers.get(name)?.env[CHANNEL_SECRET_VAR];
  if (secret === undefined) throw new Error(`saveSecret: the command line names no MCP server ${name} with a secret`);
  writeFileSync(ctx.inside(spec.path), `${secret}\n`);
}
