import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../src/adapters/agents/index.js';
import type { LaunchPolicy } from '../../../src/adapters/agents/types.js';
import { writeCommandFiles } from '../../../src/adapters/process/command-files.js';
import { CLAUDE_SANDBOX_REQUIRED_ERROR, CODEX_BWRAP_FAILURE, GEMINI_NO_SANDBOX_COMMAND } from '../../../src/adapters/sim/sandbox.js';
import { AGENT_NAMES, type AgentEventBody, type AgentName } from '../../../src/domain/index.js';
import { cleanup, parseAll, requireBuilt, runSim, tempDir } from './helpers.js';

beforeAll(requireBuilt);
afterEach(cleanup);

// Runs the sim with exactly the command line an adapter builds for a run under `policy`, its files
// written first, and feeds its stdout through that adapter's normalizer.
async function runWithPolicy(agent: AgentName, steps: unknown[], policy: Partial<LaunchPolicy> = {}) {
  const cwd = tempDir();
  const extra = join(tempDir(), 'assets');
  mkdirSync(extra);
  const full: LaunchPolicy = {
    sandbox: 'required',
    writableRoots: [cwd, extra],
    network: false,
    denyCommands: ['git push'],
    askCommands: ['npm publish'],
    protectedPaths: [join(cwd, '.claude'), join(cwd, '.mcp.json')],
    secretPaths: [join(tempDir(), '.ssh')],
    ...policy,
  };
  const adapter = getAdapter(agent);
  const command = adapter.buildCommand({ prompt: 'Do it', cwd, extraDirs: [], skipTrust: true, policy: full, filesDir: tempDir() }, [agent]);
  writeCommandFiles(command.files);
  const run = await runSim(agent, { steps }, command.args, { cwd, env: { ...process.env, ...command.env } });
  const normalizer = adapter.createNormalizer();
  const events: AgentEventBody[] = [...run.lines.flatMap((line) => normalizer.push(line)), ...normalizer.finish({ exitCode: run.code, signal: run.signal }, run.stderr)];
  return { ...run, events, cwd };
}

const errorCodes = (events: AgentEventBody[]) => events.flatMap((e) => (e.type === 'agent.error' ? [e.code] : []));
const WORK = [{ write: { path: 'a.txt', content: 'a\n' } }, { say: 'done' }];

describe('the sim under a policy', () => {
  it.each(AGENT_NAMES)('%s: accepts every flag and file the adapter builds, sandbox required or off, network on or off', async (agent) => {
    for (const policy of [{}, { sandbox: 'off' as const, network: true }]) {
      const run = await runWithPolicy(agent, WORK, policy);
      expect(run.code, run.stderr).toBe(0);
      expect(errorCodes(run.events)).toEqual([]);
      expect(run.events.filter((e) => e.type === 'agent.result')).toMatchObject([{ success: true }]);
    }
  });
});

describe('the sandboxUnavailable failure', () => {
  const steps = [{ fail: { kind: 'sandboxUnavailable' } }, ...WORK];

  it('claude: with the sandbox required, refuses to start with only its error result, exit 1', async () => {
    const run = await runWithPolicy('claude', steps);
    expect(run.code).toBe(1);
    expect(parseAll(run.lines)).toMatchObject([{ type: 'result', subtype: 'error_during_execution', is_error: true, errors: [CLAUDE_SANDBOX_REQUIRED_ERROR] }]);
    expect(run.stderr).toContain('refusing to start without a working sandbox');
    expect(errorCodes(run.events)).toEqual(['AGENT_SANDBOX_UNAVAILABLE']);
  });

  it('claude: with the sandbox off, warns and goes on unsandboxed', async () => {
    const run = await runWithPolicy('claude', steps, { sandbox: 'off' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Commands will run WITHOUT sandboxing');
  });

  it('codex: starts anyway, and its commands fail in the sandbox that cannot start', async () => {
    const run = await runWithPolicy('codex', steps);
    expect(run.code).toBe(0);
    expect(run.events).toContainEqual(expect.objectContaining({ type: 'agent.toolResult', ok: false, output: expect.stringContaining(CODEX_BWRAP_FAILURE) }));
    const off = await runWithPolicy('codex', steps, { sandbox: 'off' });
    expect(off.events.filter((e) => e.type === 'agent.toolResult' && !e.ok)).toEqual([]);
  });

  it('gemini: with --sandbox and no container runtime, exits 44 before its first line', async () => {
    const run = await runWithPolicy('gemini', steps);
    expect(run.code).toBe(44);
    expect(run.lines).toEqual([]);
    expect(run.stderr).toContain(GEMINI_NO_SANDBOX_COMMAND);
    expect(errorCodes(run.events)).toEqual(['AGENT_SANDBOX_UNAVAILABLE']);
    expect((await runWithPolicy('gemini', steps, { sandbox: 'off' })).code).toBe(0);
  });
});
