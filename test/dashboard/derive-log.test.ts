import { describe, expect, it } from 'vitest';
import { appendLogEntry, createLogStore, logRowCount, logRowEntry, logRowOfSeq, setLogFilter, NO_FILTER } from '../../dashboard/src/state/derive-log.js';
import { makeLog } from './fixtures.js';

const toolCall = (seq: number) => (seq % 100 === 0 ? ({ type: 'agent.toolCall', tool: 'Bash', kind: 'shell', command: `npm test -- ${seq}` } as const) : ({ type: 'agent.message', text: `line ${seq}` } as const));

describe('the event log store', () => {
  it('filters 100,000 events by worker and type, and keeps new matches as they arrive', () => {
    const store = createLogStore();
    for (const entry of makeLog(100_000, toolCall)) appendLogEntry(store, entry);
    const started = performance.now();
    setLogFilter(store, { workerId: 'worker:design', type: 'agent.toolCall', text: '' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(logRowCount(store)).toBe(1000);
    expect(logRowEntry(store, 0)?.seq).toBe(100);

    appendLogEntry(store, { ...makeLog(1, () => toolCall(100))[0]!, seq: 100_001 });
    appendLogEntry(store, { ...makeLog(1)[0]!, seq: 100_002 });
    expect(logRowCount(store)).toBe(1001);
    expect(logRowEntry(store, 1000)?.seq).toBe(100_001);

    setLogFilter(store, { workerId: 'session', type: null, text: '' });
    expect(logRowCount(store)).toBe(0);
    setLogFilter(store, NO_FILTER);
    expect(logRowCount(store)).toBe(100_002);
  });

  it('matches free text against what the row shows, case-insensitively', () => {
    const store = createLogStore();
    for (const entry of makeLog(1000, toolCall)) appendLogEntry(store, entry);
    setLogFilter(store, { workerId: null, type: null, text: '  NPM TEST -- 500 ' });
    expect(logRowCount(store)).toBe(1);
    expect(logRowEntry(store, 0)?.seq).toBe(500);
  });

  it('drops the oldest tenth past its bound, keeping rows and filter positions consistent', () => {
    const store = createLogStore(1000);
    setLogFilter(store, { workerId: null, type: 'agent.toolCall', text: '' });
    for (const entry of makeLog(1001, toolCall)) appendLogEntry(store, entry);
    expect(store.entries.length).toBe(901);
    expect(store.offset).toBe(100);
    expect(store.entries[0]?.seq).toBe(101);
    expect(logRowCount(store)).toBe(9);
    expect(logRowEntry(store, 0)?.seq).toBe(200);
    expect(store.types.get('agent.toolCall')).toBe(9);
  });

  it('finds the row of a seq, with and without a filter', () => {
    const store = createLogStore();
    for (const entry of makeLog(1000, toolCall)) appendLogEntry(store, entry);
    expect(logRowOfSeq(store, 1)).toBe(0);
    expect(logRowOfSeq(store, 777)).toBe(776);
    expect(logRowOfSeq(store, 5000)).toBe(-1);
    setLogFilter(store, { workerId: null, type: 'agent.toolCall', text: '' });
    expect(logRowOfSeq(store, 300)).toBe(2);
    expect(logRowOfSeq(store, 301)).toBe(-1);
  });
});
