import { describe, expect, it } from 'vitest';
import { createRunState, describeExit } from '../../../../src/adapters/agents/shared/run-state.js';

const create = () =>
  createRunState({ label: 'cli', endMarker: 'result', match: (text) => (text.includes('auth') ? { code: 'AGENT_NOT_AUTHENTICATED', text: 'auth' } : undefined) });

describe('createRunState', () => {
  it('emits agent.started once', () => {
    const run = create();
    expect(run.started({ vendorSessionId: 'a' })).toEqual([{ type: 'agent.started', vendorSessionId: 'a' }]);
    expect(run.started({ vendorSessionId: 'a' })).toEqual([]);
  });

  it('drops a repeated error and reports a notice once per code', () => {
    const run = create();
    expect(run.error('AGENT_NETWORK', 'x')).toHaveLength(1);
    expect(run.error('AGENT_NETWORK', 'x')).toEqual([]);
    expect(run.notice('AGENT_RATE_LIMITED', 'retry 1')).toHaveLength(1);
    expect(run.notice('AGENT_RATE_LIMITED', 'retry 2')).toEqual([]);
  });

  it('adds nothing at finish after a successful end marker and a clean exit', () => {
    const run = create();
    run.end(true, 'done');
    expect(run.finish({ exitCode: 0, signal: null }, '')).toEqual([]);
  });

  it('adds nothing at finish after a failed end marker: its error was already emitted', () => {
    const run = create();
    run.end(false, 'failed');
    expect(run.finish({ exitCode: 1, signal: null }, 'auth')).toEqual([]);
  });

  it('classifies a missing end marker from stderr, then from the last notice, then as a crash', () => {
    const fromStderr = create().finish({ exitCode: 1, signal: null }, 'auth');
    expect(fromStderr[0]).toEqual({ type: 'agent.error', code: 'AGENT_NOT_AUTHENTICATED', message: 'auth' });
    const hinted = create();
    hinted.notice('AGENT_NETWORK', 'retrying');
    expect(hinted.finish({ exitCode: null, signal: 'SIGTERM' }, '')[0]).toMatchObject({ code: 'AGENT_NETWORK' });
    expect(create().finish({ exitCode: 0, signal: null }, '')).toEqual([
      { type: 'agent.error', code: 'AGENT_CRASHED', message: 'cli exited with code 0 without its final result event' },
      { type: 'agent.result', success: false, summary: 'cli exited with code 0 without its final result event' },
    ]);
  });

  it('answers finish only once', () => {
    const run = create();
    expect(run.finish({ exitCode: 0, signal: null }, '')).toHaveLength(2);
    expect(run.finish({ exitCode: 0, signal: null }, '')).toEqual([]);
  });
});

describe('describeExit', () => {
  it('names the signal or the exit code', () => {
    expect(describeExit({ exitCode: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
    expect(describeExit({ exitCode: 3, signal: null })).toBe('exited with code 3');
    expect(describeExit({ exitCode: null, signal: null })).toBe('exited');
  });
});
