#!/usr/bin/env node
// The simulated agent: speaks Claude Code, Codex or Gemini CLI stream formats, driven by a scenario file.
// Usage: node main.js --vendor <claude|codex|gemini> --scenario <file.json> [--] <the vendor's own args...>
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ClaudeWriter } from './claude.js';
import { CodexWriter } from './codex.js';
import { GeminiWriter } from './gemini.js';
import { isUuid, uuid, uuidV7 } from './ids.js';
import { flagValues, isReviewInvocation, parseInvocation, VENDORS, VERSION_LINES } from './invocation.js';
import type { Invocation, Vendor } from './invocation.js';
import { findMcpServers } from './mcp-servers.js';
import { Runner } from './runner.js';
import { loadScenario, nextCall, selectSteps } from './scenario.js';
import { LineSink } from './sink.js';
import type { VendorWriter, WriterContext } from './writer.js';

const USAGE = 'usage: main.js --vendor <claude|codex|gemini> --scenario <file.json> [--] <vendor args...>';

interface SimArgs {
  vendor?: string;
  scenario?: string;
  rest: string[];
}

function parseSimArgs(argv: readonly string[]): SimArgs {
  const sim: SimArgs = { rest: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name !== '--vendor' && name !== '--scenario') break;
    const value = inline ?? argv[++i];
    if (name === '--vendor') sim.vendor = value;
    else sim.scenario = value;
  }
  if (argv[i] === '--') i++;
  sim.rest = argv.slice(i);
  return sim;
}

function sessionIdFor(inv: Invocation): string {
  if (inv.vendor === 'codex') return inv.resumeId ?? uuidV7();
  const resumed = inv.resumeId !== undefined && isUuid(inv.resumeId) && !inv.forkSession ? inv.resumeId : undefined;
  return resumed ?? inv.sessionId ?? uuid();
}

function writerFor(vendor: Vendor, ctx: WriterContext): VendorWriter {
  if (vendor === 'claude') return new ClaudeWriter(ctx);
  if (vendor === 'codex') return new CodexWriter(ctx);
  return new GeminiWriter(ctx);
}

// Runs the command after `--` in the current directory, and answers with its exit code.
function runWithoutSandbox(args: readonly string[]): number {
  const command = args.slice(args.indexOf('--') + 1);
  if (args.indexOf('--') < 0 || command.length === 0) return 2;
  return spawnSync(command[0]!, command.slice(1), { stdio: 'inherit' }).status ?? 1;
}

async function main(out: LineSink, err: LineSink): Promise<number> {
  const sim = parseSimArgs(process.argv.slice(2));
  const vendor = VENDORS.find((v) => v === sim.vendor);
  if (vendor === undefined) {
    err.line(`sim: --vendor must be one of ${VENDORS.join(', ')} (got ${sim.vendor ?? 'nothing'})\n${USAGE}`);
    return 2;
  }
  // `codex sandbox [opts] -- cmd`: the sim has no OS sandbox, so the command runs as it is (a sandbox
  // canary then finds the sandbox does not hold). No scenario step runs for it.
  if (vendor === 'codex' && sim.rest[0] === 'sandbox') return runWithoutSandbox(sim.rest);
  const inv = parseInvocation(vendor, sim.rest, process.cwd());
  if (inv.version) {
    out.line(VERSION_LINES[vendor]);
    return 0;
  }
  if (sim.scenario === undefined) {
    err.line(`sim: --scenario <file.json> is required\n${USAGE}`);
    return 2;
  }
  const loaded = loadScenario(sim.scenario);
  if (!loaded.ok) {
    err.line(`sim: ${loaded.error}`);
    return 2;
  }
  if (vendor === 'codex' && !existsSync(inv.cwd)) {
    err.line('Error: No such file or directory (os error 2)');
    return 1;
  }
  // Gemini exits on an --include-directories entry that does not exist (REPORT.md 3.1).
  const missing = vendor === 'gemini' ? flagValues(inv, '--include-directories').find((dir) => !existsSync(dir)) : undefined;
  if (missing !== undefined) {
    err.line(`[WARN] Skipping unreadable directory: ${missing} (Directory does not exist: ${missing})`);
    err.line(`An unexpected critical error occurred:Error: Directory does not exist: ${missing}`);
    return 1;
  }
  const ctx: WriterContext = { inv, sessionId: sessionIdFor(inv), out, err, startedAt: Date.now() };
  const mcpServers = findMcpServers(vendor, sim.rest, inv.cwd, process.env);
  const runner = new Runner(writerFor(vendor, ctx), { out, err, cwd: inv.cwd, mcpServers });
  const review = isReviewInvocation(inv);
  const counted = review ? loaded.scenario.reviews : loaded.scenario.runs;
  const n = counted ? nextCall(sim.scenario, review ? 'review' : 'run') : 1;
  return runner.run(selectSteps(loaded.scenario, inv.prompt, { review, n }));
}

const out = new LineSink(process.stdout);
const err = new LineSink(process.stderr);
process.stdout.on('error', () => process.exit(1));

main(out, err)
  .catch((e: unknown) => {
    err.line(`sim: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  })
  .then(async (code) => {
    await out.drained();
    await err.drained();
    process.exit(code);
  })
  .catch(() => process.exit(1));
