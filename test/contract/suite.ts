/*
 * The contract every agent adapter must keep with the REAL CLI it drives. Each
 * `<agent>.contract.test.ts` calls `defineContractSuite` with what differs per vendor.
 *
 * For each scenario the test builds the command with OUR adapter (`getAdapter(name).buildCommand`),
 * runs the installed CLI with exactly that file, argv and cwd against the loopback fake provider,
 * feeds stdout to the adapter's normalizer and asserts on the normalized events and on the
 * workspace.
 *
 * Run: `scripts/install-agent-clis.sh && npx vitest run test/contract`. Without the installed CLIs
 * every test fails with the install hint. ORCHESTRATE_CONTRACT_DEBUG=1 prints each run;
 * ORCHESTRATE_KEEP_CONTRACT_RUNS=1 keeps the sandboxes under .cache/contract-runs/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../src/adapters/agents/index.js';
import type { AgentAdapter, CommandLine, LaunchSpec } from '../../src/adapters/agents/types.js';
import type { AgentName } from '../../src/domain/index.js';
import { PINNED_VERSIONS, requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider, type MockProvider, type MockProviderOptions } from '../support/mock-provider.js';
import { describeRun, eventsOf, makeSandbox, minimalEnv, providerEnv, runCli, RUN_TIMEOUT_MS, type CliRun, type Sandbox } from './harness.js';

export interface VendorContract {
  agent: AgentName;
  /** Passed as LaunchSpec.model, so the adapter's model flag is exercised too. */
  model: string;
  /** Whether the vendor's stream itself reports file changes (Codex `file_change` items). */
  reportsFileChanges: boolean;
}

const FULL_PROMPT = 'Run the scripted shell command, then create hello.txt and edit it.';
const TEXT_PROMPT = 'Say hello.';
const RESUME_PROMPT = 'Continue: say hello again.';

/** Usage errors the three CLIs print when they reject their command line. */
const USAGE_ERROR = /unexpected argument|unknown option|Invalid values:|error: option|requires --verbose|is invalid\. Allowed choices|Unknown arguments?:/i;

interface Ctx {
  sandbox: Sandbox;
  provider: MockProvider;
  adapter: AgentAdapter;
  command: readonly string[];
}

export function defineContractSuite(contract: VendorContract): void {
  const { agent } = contract;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  async function setup(options: MockProviderOptions = {}): Promise<Ctx> {
    // Fails (never skips) with the install hint when the CLI is missing.
    const cli = requireAgentCli(agent);
    const sandbox = makeSandbox(agent);
    cleanups.push(() => sandbox.cleanup());
    const provider = await startMockProvider({ workdir: sandbox.workdir, ...options });
    cleanups.push(() => provider.close());
    return { sandbox, provider, adapter: getAdapter(agent), command: cli.command };
  }

  function spec(ctx: Ctx, prompt: string, extra: Partial<LaunchSpec> = {}): LaunchSpec {
    const extraDir = path.join(ctx.sandbox.root, 'extra');
    mkdirSync(extraDir, { recursive: true });
    return { prompt, cwd: ctx.sandbox.workdir, extraDirs: [extraDir], model: contract.model, skipTrust: true, ...extra };
  }

  async function run(ctx: Ctx, launch: LaunchSpec): Promise<{ run: CliRun; cmd: CommandLine }> {
    const cmd = ctx.adapter.buildCommand(launch, ctx.command);
    const env = { ...minimalEnv(ctx.sandbox.home), ...providerEnv(agent, ctx.sandbox, ctx.provider), ...cmd.env };
    const result = await runCli(cmd, env, ctx.adapter.createNormalizer());
    // ORCHESTRATE_CONTRACT_DEBUG=1 prints every run: command, normalized events, raw stdout, stderr tail.
    if (process.env.ORCHESTRATE_CONTRACT_DEBUG === '1') console.log(explain({ run: result, cmd }, ctx.provider));
    return { run: result, cmd };
  }

  function explain(r: { run: CliRun; cmd: CommandLine }, provider: MockProvider): string {
    const reqs = provider.requests.map((q) => `${q.method} ${q.url} -> ${q.answer}`).join('\n');
    return `\n--- command\n${JSON.stringify({ file: r.cmd.file, args: r.cmd.args, env: r.cmd.env, cwd: r.cmd.cwd })}\n${describeRun(r.run)}\n--- provider requests\n${reqs}\n`;
  }

  /** The CLI parsed the adapter's argv: no usage error, and it started streaming JSON. */
  function expectAcceptedCommandLine(r: { run: CliRun; cmd: CommandLine }, provider: MockProvider): void {
    const why = explain(r, provider);
    expect(r.run.timedOut, `timed out after ${RUN_TIMEOUT_MS} ms${why}`).toBe(false);
    expect(r.run.exit.exitCode, `exit code 2 is a usage error${why}`).not.toBe(2);
    expect(r.run.stderr, `usage error on stderr${why}`).not.toMatch(USAGE_ERROR);
    expect(
      r.run.lines.some((l) => l.trimStart().startsWith('{')),
      `no JSON line on stdout${why}`,
    ).toBe(true);
    expect(eventsOf(r.run, 'agent.unparsed').filter((e) => e.reason === 'invalidJson'), `non-JSON lines on stdout${why}`).toEqual([]);
  }

  function startedSessionId(r: { run: CliRun; cmd: CommandLine }, provider: MockProvider): string {
    const started = eventsOf(r.run, 'agent.started');
    expect(started.length, `agent.started${explain(r, provider)}`).toBeGreaterThanOrEqual(1);
    const id = started[0]?.vendorSessionId;
    expect(id, `agent.started.vendorSessionId${explain(r, provider)}`).toMatch(/^[0-9a-zA-Z][0-9a-zA-Z_-]{7,}$/);
    return id ?? '';
  }

  describe(`${agent} CLI ${PINNED_VERSIONS[agent]} (real binary) against the fake provider`, () => {
    it('is installed at the pinned version and answers the adapter versionArgs', async () => {
      const cli = requireAgentCli(agent);
      const adapter = getAdapter(agent);
      const [file, ...lead] = cli.command;
      const home = makeSandbox(agent);
      cleanups.push(() => home.cleanup());
      const { stdout } = await promisify(execFile)(file ?? '', [...lead, ...adapter.versionArgs], {
        env: { ...minimalEnv(home.home), GEMINI_CLI_NO_RELAUNCH: '1' },
        timeout: 30_000,
      });
      expect(stdout).toContain(PINNED_VERSIONS[agent]);
    }, 45_000);

    it('full scenario: shell command, file write and edit, usage, success', async () => {
      const ctx = await setup({ scenario: 'full' });
      const r = await run(ctx, spec(ctx, FULL_PROMPT, { maxTurns: 20 }));
      const why = explain(r, ctx.provider);
      expectAcceptedCommandLine(r, ctx.provider);

      // The CLI really talked to the fake provider and went through the whole script.
      expect(ctx.provider.requests.map((q) => q.answer), why).toEqual(expect.arrayContaining(['main:0', 'main:1', 'main:2', 'main:3']));

      startedSessionId(r, ctx.provider);

      const shell = eventsOf(r.run, 'agent.toolCall').filter((e) => e.kind === 'shell');
      expect(shell.length, `agent.toolCall kind shell${why}`).toBeGreaterThanOrEqual(1);
      expect(shell[0]?.command, `shell command${why}`).toContain(ctx.provider.command);

      // The file was really written and edited in the cwd.
      const file = path.join(ctx.sandbox.workdir, ctx.provider.fileName);
      expect(existsSync(file), `${ctx.provider.fileName} exists${why}`).toBe(true);
      expect(readFileSync(file, 'utf8'), why).toBe(ctx.provider.fileContents.edited);

      const fileChanges = eventsOf(r.run, 'agent.fileChange').filter((e) => path.basename(e.path) === ctx.provider.fileName);
      if (contract.reportsFileChanges) {
        expect(fileChanges.map((e) => e.kind), `agent.fileChange${why}`).toEqual(expect.arrayContaining(['add', 'update']));
      } else {
        // No explicit file-change report in this vendor's stream: the write and edit show as tool calls with the path.
        const writes = eventsOf(r.run, 'agent.toolCall').filter((e) => (e.kind === 'write' || e.kind === 'edit') && e.path !== undefined);
        expect(writes.map((e) => path.basename(e.path ?? '')), `write/edit tool calls with a path${why}`).toContain(ctx.provider.fileName);
        expect(writes.map((e) => e.kind), `write and edit kinds${why}`).toEqual(expect.arrayContaining(['write', 'edit']));
      }

      const usage = eventsOf(r.run, 'agent.usage');
      expect(usage.length, `agent.usage${why}`).toBeGreaterThanOrEqual(1);
      expect(usage.some((u) => u.inputTokens > 0 && u.outputTokens > 0), `non-zero usage${why}`).toBe(true);

      const results = eventsOf(r.run, 'agent.result');
      expect(results.length, `exactly one agent.result${why}`).toBe(1);
      expect(results[0]?.success, `agent.result.success${why}`).toBe(true);
      expect(results[0]?.summary, why).toContain(ctx.provider.texts.final);
      expect(eventsOf(r.run, 'agent.error'), `no agent.error${why}`).toEqual([]);
      expect(r.run.exit, why).toEqual({ exitCode: 0, signal: null });
    }, RUN_TIMEOUT_MS + 30_000);

    it('http401: the run fails as AGENT_NOT_AUTHENTICATED', async () => {
      const ctx = await setup({ scenario: 'text', mode: 'http401' });
      const r = await run(ctx, spec(ctx, TEXT_PROMPT));
      const why = explain(r, ctx.provider);
      expectAcceptedCommandLine(r, ctx.provider);
      expect(ctx.provider.requests.some((q) => q.answer === '401'), `the provider answered 401${why}`).toBe(true);

      const results = eventsOf(r.run, 'agent.result');
      expect(results.length, `exactly one agent.result${why}`).toBe(1);
      expect(results[0]?.success, `agent.result.success${why}`).toBe(false);
      const errors = eventsOf(r.run, 'agent.error');
      expect(errors.map((e) => e.code), `agent.error codes${why}`).toContain('AGENT_NOT_AUTHENTICATED');
      // The error the run ended on names the cause.
      expect(errors[errors.length - 1]?.code, `last agent.error${why}`).toBe('AGENT_NOT_AUTHENTICATED');
      expect(r.run.exit.exitCode, why).not.toBe(0);
      expect(r.run.exit.signal, why).toBeNull();
    }, RUN_TIMEOUT_MS + 30_000);

    it('resume: a second run with resumeSessionId continues the same vendor session', async () => {
      const ctx = await setup({ scenario: 'text' });
      const first = await run(ctx, spec(ctx, TEXT_PROMPT));
      expectAcceptedCommandLine(first, ctx.provider);
      expect(first.run.exit.exitCode, explain(first, ctx.provider)).toBe(0);
      const sessionId = startedSessionId(first, ctx.provider);
      const before = ctx.provider.requests.length;

      const second = await run(ctx, spec(ctx, RESUME_PROMPT, { resumeSessionId: sessionId }));
      const why = explain(second, ctx.provider);
      expectAcceptedCommandLine(second, ctx.provider);
      expect(startedSessionId(second, ctx.provider), `resumed vendor session id${why}`).toBe(sessionId);

      // The resumed request carried the earlier conversation.
      const resumedMain = ctx.provider.requests.slice(before).filter((q) => q.answer.startsWith('main:'));
      expect(resumedMain.length, `a main request after resume${why}`).toBeGreaterThanOrEqual(1);
      const body = JSON.stringify(resumedMain[resumedMain.length - 1]?.body ?? null);
      expect(body, `the resumed conversation includes the first prompt${why}`).toContain(TEXT_PROMPT);
      expect(body, why).toContain(RESUME_PROMPT);

      const results = eventsOf(second.run, 'agent.result');
      expect(results.map((e) => e.success), `agent.result${why}`).toEqual([true]);
      expect(second.run.exit, why).toEqual({ exitCode: 0, signal: null });
    }, 2 * RUN_TIMEOUT_MS + 30_000);
  });
}
