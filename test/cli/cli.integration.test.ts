import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/adapters/git/index.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import { expectNoLeftovers, waitUntil } from '../support/processes.js';
import { SIM } from '../support/sim-session.js';

const CLI = resolve('dist/cli/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs the built CLI as a real process; `onStdout` may act while it runs.
function runCli(args: string[], options: { cwd?: string; onStdout?: (text: string, pid: number) => void; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child.pid!);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orchestrate ${args.join(' ')} did not finish in time:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// A repository with a config that points every agent at the simulated agent.
async function makeTarget(scenario: object, agents = ['claude', 'codex', 'gemini']): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-cli-'));
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const scenarioFile = join(dir, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  const config = {
    agents: Object.fromEntries(
      agents.map((agent) => [agent, { command: [process.execPath, SIM, '--vendor', agent, '--scenario', scenarioFile, '--'] }]),
    ),
    timeouts: { idleSeconds: 30, stopGraceSeconds: 1 },
    // Simulated agents have no OS sandbox of their own.
    policy: { sandbox: 'off' },
  };
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify(config));
  return target;
}

describe('orchestrate', () => {
  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/run \[options\] <task>/);
    expect(help.stdout).toMatch(/demo/);
    expect(help.stdout).toMatch(/doctor/);
  });

  it('exits 2 on a usage error', async () => {
    const result = await runCli(['run', 'task', '--agents', 'claude,copilot']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown agent "copilot"/);
  });

  it('exits 2 with a readable message on an invalid config file', async () => {
    const target = await makeTarget({ steps: [] });
    await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents: { claude: { command: 'claude' } } }));
    const result = await runCli(['run', 'task', '--target', target]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/orchestrate\.config\.json is not valid:\n\s+agents\.claude\.command: /);
  });

  it('refuses a target that is not a git repository', async () => {
    dir = await mkdtemp(join(tmpdir(), 'orchestrate-cli-'));
    const result = await runCli(['run', 'task', '--target', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a git repository.*--init/);
  });

  it('exits 3 naming why each agent is unavailable', async () => {
    const target = await makeTarget({ steps: [] });
    const config = { agents: { claude: { command: ['/nonexistent/claude'] }, codex: { enabled: false }, gemini: { enabled: false } } };
    await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify(config));
    const result = await runCli(['run', 'task', '--target', target]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/no agent is available \(Claude Code: \/nonexistent\/claude was not found on PATH/);
  });

  it('runs a task with --json: every event, then the summary, exit 0', async () => {
    const target = await makeTarget({ steps: [{ write: { path: 'x.txt', content: 'x' } }, { say: 'done' }] });
    const result = await runCli(['run', 'write x', '--target', target, '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; seq?: number });
    expect(lines[0]!.type).toBe('session.started');
    const summary = lines.at(-1) as { type: string; status: string; branch: string; mergeCommand: string };
    expect(summary).toMatchObject({ type: 'summary', status: 'completed' });
    expect(summary.mergeCommand).toContain(summary.branch);
    const seqs = lines.slice(0, -1).map((l) => l.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const id = (summary as unknown as { sessionId: string }).sessionId;
    const sessions = await runCli(['sessions', '--target', target]);
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toMatch(new RegExp(`^${id}  completed .* trio  write x$`, 'm'));
    const show = await runCli(['show', id, '--target', target]);
    expect(show.stdout).toMatch(new RegExp(`^Session ${id}: completed`));
    expect(show.stdout).toMatch(/^ {2}worker:design: Gemini CLI, done, vendor session \S+$/m);
    // Every phase was reviewed by the two other agents, who approve when their scenario says nothing.
    expect(show.stdout).toMatch(/^ {2}review:1 \(design, phase\.finished; shown: x\.txt\)$/m);
    expect(show.stdout).toMatch(/^ {4}Codex CLI: approve: /m);
    expect(show.stdout).toMatch(/^ {4}decision: continue \(all_approve\): 2 valid reviews, all approving$/m);
    const exported = await runCli(['export', id, '--target', target]);
    const events = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; type: string });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.length).toBe(seqs.length);
    const replay = await runCli(['replay', id, '--target', target, '--speed', '0']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^#\d+ worker:design: \{"live":"running"\}$/m);
    expect(replay.stdout).toMatch(/the machines reached the recorded end state$/m);
    const missing = await runCli(['show', 'nope', '--target', target]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/there is no session nope/);
  });

  it('exits 1 when the task fails on every agent', async () => {
    const target = await makeTarget({ steps: [{ crash: { code: 7 } }] }, ['claude']);
    await writeFile(
      join(target, 'orchestrate.config.json'),
      JSON.stringify({
        agents: {
          claude: { command: [process.execPath, SIM, '--vendor', 'claude', '--scenario', join(dir!, 'scenario.json'), '--'] },
          codex: { enabled: false },
          gemini: { enabled: false },
        },
        policy: { sandbox: 'off' },
      }),
    );
    const result = await runCli(['run', 'task', '--target', target]);
    expect([1, 3]).toContain(result.code);
    expect(result.stdout).toMatch(/AGENT_CRASHED/);
  });

  it('stops on Ctrl-C with exit 130 and leaves no agent process behind', async () => {
    const target = await makeTarget({ steps: [{ say: 'working for a long time' }, { hang: true }] });
    const groups: number[] = [];
    let interrupted = false;
    const result = await runCli(['run', 'long task', '--target', target, '--json'], {
      onStdout(text, pid) {
        for (const line of text.split('\n')) {
          const match = /"type":"process.spawned".*"pgid":(\d+)/.exec(line);
          if (match && !groups.includes(Number(match[1]))) groups.push(Number(match[1]));
        }
        if (!interrupted && text.includes('working for a long time')) {
          interrupted = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/"type":"summary","sessionId":"[^"]+","task":"long task","status":"stopped"/);
    expect(groups.length).toBeGreaterThan(0);
    await expectNoLeftovers(groups);
  });

  it('leaves no agent process behind when the orchestrator is killed with SIGKILL', async () => {
    const target = await makeTarget({ steps: [{ say: 'working for a long time' }, { hang: true }] });
    const groups: number[] = [];
    let killed = false;
    await runCli(['run', 'long task', '--target', target, '--json'], {
      onStdout(text, pid) {
        const match = /"type":"process.spawned".*?"pgid":(\d+)/.exec(text);
        if (match && !groups.includes(Number(match[1]))) groups.push(Number(match[1]));
        if (!killed && text.includes('working for a long time')) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    await waitUntil(() => groups.length > 0, 1000, 'a recorded group');
    await expectNoLeftovers(groups, 5_000);
  });

  it('doctor reports each agent, its version or how to install it', async () => {
    const target = await makeTarget({ steps: [] }, ['claude']);
    await writeFile(
      join(target, 'orchestrate.config.json'),
      JSON.stringify({
        agents: {
          claude: { command: [process.execPath, SIM, '--vendor', 'claude', '--'] },
          codex: { command: ['/nonexistent/codex'] },
          gemini: { command: ['/nonexistent/gemini'], enabled: false },
        },
      }),
    );
    const result = await runCli(['doctor', '--target', target]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^git: git version/m);
    expect(result.stdout).toMatch(/^Claude Code: ok, 2\.1\.197 \(Claude Code\)$/m);
    expect(result.stdout).toMatch(/^Codex CLI: unavailable: \/nonexistent\/codex was not found on PATH \(install: npm install -g @openai\/codex\)$/m);
    expect(result.stdout).toMatch(/^Gemini CLI: unavailable: .*\(disabled in config\)$/m);
  });

  it('runs the demo in well under a minute with a tier fallback', async () => {
    dir = await mkdtemp(join(tmpdir(), 'orchestrate-demo-'));
    const started = Date.now();
    const result = await runCli(['demo', '--dir', join(dir, 'demo')]);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(result.stdout).toMatch(/tier: Claude \+ Codex \(Gemini CLI failed \(AGENT_NOT_AUTHENTICATED/);
    expect(result.stdout).toMatch(/Session \S+: completed/);
    expect(result.stdout).toMatch(/Merge it with: git -C .* merge --no-ff --no-edit orchestrate\//);
  });
});
