import { describe, expect, it } from 'vitest';
import { createGroupHolds } from '../../src/actors/group-holds.js';

function createGroup() {
  const signals: string[] = [];
  return { signals, group: { pause: () => signals.push('SIGSTOP'), resume: () => signals.push('SIGCONT') } };
}

describe('createGroupHolds', () => {
  it('stops the group on the first hold and continues it only when the last one is released', () => {
    const { signals, group } = createGroup();
    const changes: boolean[] = [];
    const holds = createGroupHolds(group, (held) => changes.push(held));
    holds.hold('pause');
    holds.hold('approval-1');
    holds.release('pause');
    expect(signals).toEqual(['SIGSTOP']);
    expect(holds.held).toBe(true);
    holds.release('approval-1');
    expect(signals).toEqual(['SIGSTOP', 'SIGCONT']);
    expect(changes).toEqual([true, false]);
    expect(holds.held).toBe(false);
  });

  it('ignores a repeated hold and the release of something that holds nothing', () => {
    const { signals, group } = createGroup();
    const holds = createGroupHolds(group);
    holds.release('pause');
    holds.hold('pause');
    holds.hold('pause');
    holds.release('pause');
    holds.release('pause');
    expect(signals).toEqual(['SIGSTOP', 'SIGCONT']);
  });
});
