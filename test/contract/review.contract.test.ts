/*
 * Contract: the review invocations (review-command.ts) against the three REAL CLIs, through the
 * reviewCall actor's own code path (callReviewer), each CLI pointed at the loopback fake provider
 * playing the "review" scenario. The fake model answers the verdict JSON; the call must come out
 * `answered` with exactly that verdict, and the invocation must be read-only for real: the requests
 * offer the model no tool that writes, and a model that tries anyway changes nothing.
 *
 * Needs the pinned CLIs (scripts/install-agent-clis.sh). ORCHESTRATE_CONTRACT_DEBUG=1 prints each
 * call's log and the provider's requests; ORCHESTRATE_KEEP_CONTRACT_RUNS=1 keeps the sandboxes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callReviewer, type ReviewCallDeps } from '../../src/actors/review-call.js';
import { ADAPTERS } from '../../src/adapters/agents/index.js';
import { AGENT_NAMES, reviewAnswerJsonSchema, type AgentName, type LogEntry, type ReviewerResult } from '../../src/domain/index.js';
import { createEventLog } from '../../src/store/event-log.js';
import { requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider, type MockProvider, type RecordedRequest } from '../support/mock-provider.js';
import { expectNoLeftovers } from '../support/processes.js';
import { makeSessionSandbox, sessionEnv, type SessionSandbox } from './session-env.js';

const CALL_DEADLINE_MS = 60_000;
const TEST_TIMEOUT_MS = CALL_DEADLINE_MS + 30_000;
const MODELS: Record<AgentName, string> = { claude: 'claude-sonnet-4-5', codex: 'gpt-5.5', gemini: 'gemini-2.5-flash' };
const PROMPT = 'Review the work in this worktree. Answer with the verdict JSON only.';

/** The tools that change things, under each vendor's names: none may be offered to a reviewer. */
const WRITING_TOOLS = ['Write', 'Edit', 'Bash', 'NotebookEdit', 'ExitPlanMode', 'write_file', 'replace', 'run_shell_command', 'exit_plan_mode'];

interface ReviewRun {
  result: ReviewerResult;
  entries: LogEntry[];
  requests: RecordedRequest[];
  sandbox: SessionSandbox;
  why: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function review(agent: AgentName, reviewAttempts: boolean): Promise<ReviewRun & { provider: MockProvider }> {
  const cli = requireAgentCli(agent);
  const sandbox = makeSessionSandbox();
  cleanups.push(() => sandbox.cleanup());
  const provider = await startMockProvider({ scenario: 'review', workdir: sandbox.target, reviewAttempts });
  cleanups.push(() => provider.close());
  const log = createEventLog('s-review-contract');
  const entries: LogEntry[] = [];
  log.subscribe((entry) => entries.push(entry));
  const pgids: number[] = [];
  const deps: ReviewCallDeps = {
    adapters: ADAPTERS,
    commands: { [agent]: cli.command },
    log,
    baseEnv: sessionEnv(sandbox, { claude: provider, codex: provider, gemini: provider }),
    maxLineBytes: 8 * 1024 * 1024,
    stopGraceMs: 2_000,
    logDir: path.join(sandbox.root, 'logs'),
    filesDir: path.join(sandbox.root, 'review-files'),
    groups: { add: (pgid) => pgids.push(pgid), remove: () => {} },
  };
  const input = { sessionId: 's-review-contract', reviewId: 'review:1', agent, prompt: PROMPT, cwd: sandbox.target, extraDirs: [], model: MODELS[agent], skipTrust: true, deadlineMs: CALL_DEADLINE_MS };
  const result = await callReviewer(deps, input, new AbortController().signal);
  cleanups.push(() => expectNoLeftovers(pgids));
  const requests = provider.requests;
  const why = [
    `\n--- result\n${JSON.stringify(result)}`,
    `--- log\n${entries.map((entry) => JSON.stringify(entry).slice(0, 600)).join('\n')}`,
    `--- provider requests\n${requests.map((q) => `${q.method} ${q.url} -> ${q.answer}`).join('\n')}`,
  ].join('\n');
  if (process.env.ORCHESTRATE_CONTRACT_DEBUG === '1') console.log(why);
  return { result, entries, requests, sandbox, why, provider };
}

// The tool names a provider request offered the model, whatever the vendor's request shape.
function offeredTools(request: RecordedRequest): string[] {
  const body = request.body as { tools?: { name?: string; type?: string; functionDeclarations?: { name: string }[] }[] } | undefined;
  return (body?.tools ?? []).flatMap((tool) => tool.functionDeclarations?.map((d) => d.name) ?? [tool.name ?? tool.type ?? '']);
}

function gitStatus(worktree: string): string {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: worktree, encoding: 'utf8' });
}

describe.each(AGENT_NAMES)('%s CLI (real binary): a read-only review call', (agent) => {
  it('is accepted, cannot write, and its verdict comes out answered', async () => {
    const run = await review(agent, false);
    expect(run.result, run.why).toEqual({ status: 'answered', agent, answer: run.provider.reviewVerdict });
    const main = run.requests.filter((q) => q.answer.startsWith('main:'));
    expect(main.length, `the CLI asked the fake model${run.why}`).toBeGreaterThanOrEqual(1);
    for (const request of main) {
      // Codex keeps its tools and is confined by the OS sandbox, which it tells the model about.
      if (agent === 'codex') expect(JSON.stringify(request.body), run.why).toContain('`sandbox_mode` is `read-only`');
      else expect(offeredTools(request).filter((tool) => WRITING_TOOLS.includes(tool)), run.why).toEqual([]);
    }
    expect(run.entries.filter((entry) => entry.type === 'agent.unparsed'), run.why).toEqual([]);
    expect(run.entries.at(-1), run.why).toMatchObject({ type: 'review.answered', reviewId: 'review:1', agent, result: run.result });
    expect(gitStatus(run.sandbox.target), run.why).toBe('');
  }, TEST_TIMEOUT_MS);

  it('changes nothing when the model tries to write, run a command or leave plan mode', async () => {
    const run = await review(agent, true);
    expect(run.result, run.why).toEqual({ status: 'answered', agent, answer: run.provider.reviewVerdict });
    if (agent === 'codex') {
      // Codex reports neither the failed command nor the rejected patch in its JSONL, only on stderr.
      const denied = run.entries.filter((entry) => entry.type === 'agent.error' && entry.code === 'AGENT_PERMISSION_DENIED');
      expect(denied.length, `the rejected patch is in the log${run.why}`).toBe(1);
    } else {
      const refused = run.entries.filter((entry) => entry.type === 'agent.toolResult' && !entry.ok);
      expect(refused.length, `the refused attempts are in the log${run.why}`).toBeGreaterThanOrEqual(3);
    }
    expect(gitStatus(run.sandbox.target), `the worktree is untouched${run.why}`).toBe('');
    expect(readdirSync(run.sandbox.target).sort(), run.why).toEqual(['.git', 'README.md']);
  }, TEST_TIMEOUT_MS);
});

describe('the answer schema', () => {
  it('reaches Codex as a strict JSON output format and Claude as the StructuredOutput tool', async () => {
    const codex = await review('codex', false);
    const format = (codex.requests.find((q) => q.answer.startsWith('main:'))?.body as { text?: { format?: unknown } }).text?.format;
    expect(format, codex.why).toMatchObject({ type: 'json_schema', strict: true, schema: reviewAnswerJsonSchema() });
    const claude = await review('claude', false);
    const tool = (claude.requests.find((q) => q.answer.startsWith('main:'))?.body as { tools: { name: string; input_schema: unknown }[] }).tools.find((t) => t.name === 'StructuredOutput');
    expect(tool?.input_schema, claude.why).toEqual(reviewAnswerJsonSchema());
  }, 2 * TEST_TIMEOUT_MS);
});
