import { describe, expect, it } from 'vitest';
import { planBatch, planSubscribe } from '../../dashboard/src/state/sync.js';
import { batchOf, hello, makeLog, stateRecord } from './fixtures.js';

const log = makeLog(10);
const seqs = (plan: ReturnType<typeof planBatch>) => plan.steps.flatMap((step) => (step.kind === 'log' ? [step.entry.seq] : []));

describe('planSubscribe', () => {
  it('asks for the whole history on a first connection', () => {
    expect(planSubscribe({ sessionId: null, lastSeq: 0 }, hello(42))).toEqual({ reset: true, fromSeq: 1 });
  });

  it('resumes right after the last seq held when the same session greets again', () => {
    expect(planSubscribe({ sessionId: 's1', lastSeq: 17 }, hello(42))).toEqual({ reset: false, fromSeq: 18 });
    expect(planSubscribe({ sessionId: 's1', lastSeq: 42 }, hello(42))).toEqual({ reset: false, fromSeq: 43 });
  });

  it('starts over for another session, or a log shorter than what is held', () => {
    expect(planSubscribe({ sessionId: 's1', lastSeq: 17 }, hello(42, 's2'))).toEqual({ reset: true, fromSeq: 1 });
    expect(planSubscribe({ sessionId: 's1', lastSeq: 17 }, hello(5))).toEqual({ reset: true, fromSeq: 1 });
  });
});

describe('planBatch', () => {
  it('takes a contiguous batch whole and moves the cursor to its end', () => {
    const plan = planBatch(3, batchOf(log, 4, 7));
    expect(seqs(plan)).toEqual([4, 5, 6, 7]);
    expect(plan).toMatchObject({ lastSeq: 7, gap: false });
  });

  it('skips entries already held where a page overlaps what came before', () => {
    const plan = planBatch(5, batchOf(log, 3, 8));
    expect(seqs(plan)).toEqual([6, 7, 8]);
    expect(plan.lastSeq).toBe(8);
  });

  it('ignores a batch resent whole', () => {
    const plan = planBatch(8, batchOf(log, 3, 8));
    expect(seqs(plan)).toEqual([]);
    expect(plan).toMatchObject({ lastSeq: 8, gap: false });
  });

  it('reports a gap and takes none of its entries, so the log never has a hole', () => {
    const plan = planBatch(3, batchOf(log, 6, 8));
    expect(seqs(plan)).toEqual([]);
    expect(plan).toMatchObject({ lastSeq: 3, gap: true });
  });

  it('applies inspection records in every batch, with or without entries, in the order sent', () => {
    const record = stateRecord('x:1', { live: 'paused' }, 'worker.pause');
    const empty = planBatch(4, { type: 'batch', fromSeq: 5, toSeq: 4, items: [record] });
    expect(empty).toMatchObject({ lastSeq: 4, gap: false, steps: [{ kind: 'inspection', record }] });
    const mixed = planBatch(4, batchOf(log, 5, 6, [record]));
    expect(mixed.steps.map((step) => step.kind)).toEqual(['log', 'log', 'inspection']);
  });
});
