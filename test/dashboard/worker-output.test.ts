import { describe, expect, it } from 'vitest';
import type { LogBody, LogEntry } from '../../src/domain/index.js';
import { applyEntryToApprovals, createApprovalStore, waitingApprovals } from '../../dashboard/src/state/derive-approvals.js';
import { applyEntryToWorkers, createWorkerStore } from '../../dashboard/src/state/derive-workers.js';
import { appendOutput, createOutputBuffer } from '../../dashboard/src/state/output-buffer.js';
import { describeEntry } from '../../dashboard/src/state/describe-entry.js';
import { makeLog } from './fixtures.js';

const entries = (...bodies: LogBody[]) => makeLog(bodies.length, (seq) => bodies[seq - 1]!);

describe('a worker output buffer', () => {
  it('joins streamed deltas into lines and keeps commands and failures apart', () => {
    const buffer = createOutputBuffer();
    for (const entry of entries(
      { type: 'agent.message', text: 'Reading ', delta: true },
      { type: 'agent.message', text: 'the README.\nIt has no ', delta: true },
      { type: 'agent.message', text: 'greeting.', delta: true },
      { type: 'agent.toolCall', tool: 'Bash', kind: 'shell', command: 'npm test' },
      { type: 'agent.toolResult', ok: false, output: 'FAIL greeting.test.ts\n1 failed\nmore\nand more\ncut here' },
      { type: 'agent.usage', inputTokens: 1, outputTokens: 1 },
    )) appendOutput(buffer, entry);
    expect(buffer.lines).toEqual([
      { kind: 'text', text: 'Reading the README.' },
      { kind: 'text', text: 'It has no greeting.' },
      { kind: 'command', text: 'npm test' },
      { kind: 'error', text: 'FAIL greeting.test.ts' },
      { kind: 'error', text: '1 failed' },
      { kind: 'error', text: 'more' },
      { kind: 'error', text: 'and more' },
    ]);
  });

  it('stays bounded in lines and in line length', () => {
    const buffer = createOutputBuffer(3, 10);
    for (const entry of entries(...['one', 'two', 'three', 'a very long line indeed'].map((text) => ({ type: 'agent.message' as const, text })))) appendOutput(buffer, entry);
    expect(buffer.lines.map((l) => l.text)).toEqual(['two', 'three', 'a very lo…']);
    expect(buffer.dropped).toBe(1);
  });
});

describe('worker cards from the log', () => {
  it('show the last thing the agent did and its model; usage only from entries after the digest', () => {
    const store = createWorkerStore();
    const [started, call, usage] = entries(
      { type: 'agent.started', model: 'gemini-2.5-pro' },
      { type: 'agent.toolCall', tool: 'Bash', kind: 'shell', command: 'ls' },
      { type: 'agent.usage', inputTokens: 10, outputTokens: 2, costUsd: 0.01 },
    );
    applyEntryToWorkers(store, started!, true);
    applyEntryToWorkers(store, call!, true);
    expect(applyEntryToWorkers(store, usage!, false).usage).toBeUndefined();
    expect(store.get('worker:design')).toMatchObject({ model: 'gemini-2.5-pro', lastActivity: { type: 'agent.toolCall', text: 'Bash $ ls' }, usage: { inputTokens: 0 } });
    expect(applyEntryToWorkers(store, { ...usage!, seq: 4 }, true).usage?.after).toEqual({ inputTokens: 10, outputTokens: 2, costUsd: 0.01 });
  });
});

describe('approvals', () => {
  it('wait until the call goes ahead or the agent exits', () => {
    const store = createApprovalStore();
    const [ask, other, result, ask2, exit] = entries(
      { type: 'agent.approvalRequest', callId: 'c1', tool: 'Bash', command: 'rm -rf build' },
      { type: 'agent.toolResult', callId: 'c9', ok: true },
      { type: 'agent.toolResult', callId: 'c1', ok: false },
      { type: 'agent.approvalRequest', tool: 'Write', path: 'src/a.ts' },
      { type: 'agent.exited', exitCode: 0, signal: null },
    );
    applyEntryToApprovals(store, ask!);
    applyEntryToApprovals(store, other!);
    expect(waitingApprovals(store).map((a) => a.approvalId)).toEqual(['c1']);
    applyEntryToApprovals(store, result!);
    applyEntryToApprovals(store, ask2!);
    expect(waitingApprovals(store).map((a) => a.approvalId)).toEqual(['worker:design#4']);
    applyEntryToApprovals(store, exit!);
    expect(waitingApprovals(store)).toEqual([]);
  });
});

describe('describeEntry', () => {
  it('gives a line for every entry, unknown types included', () => {
    const unknown = { type: 'store.intakePaused', reason: 'disk full', sessionId: 's1', workerId: 'session', seq: 1, ts: 1 } as const;
    expect(describeEntry(unknown).text).toBe('the store cannot take writes: disk full');
    const future = { type: 'review.finished', verdict: 'accept', sessionId: 's1', workerId: 'session', seq: 2, ts: 1 } as unknown as LogEntry;
    expect(describeEntry(future).text).toBe('{"verdict":"accept"}');
    expect(describeEntry(entries({ type: 'agent.error', code: 'AGENT_NETWORK', message: 'fetch failed' })[0]!)).toEqual({ tone: 'bad', text: 'AGENT_NETWORK: fetch failed' });
  });
});
