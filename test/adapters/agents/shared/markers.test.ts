import { describe, expect, it } from 'vitest';
import { createMarkerScanner, detectMarkers } from '../../../../src/adapters/agents/shared/markers.js';

describe('detectMarkers', () => {
  it('finds milestone, blocker and review lines in order', () => {
    const text = 'Working.\n[[orchestrate:milestone]] tests pass\n  [[orchestrate:blocker]]  need the API key \n[[orchestrate:review]] please check auth.ts';
    expect(detectMarkers(text)).toEqual([
      { type: 'agent.milestone', text: 'tests pass', via: 'marker' },
      { type: 'agent.blocker', text: 'need the API key', via: 'marker' },
      { type: 'agent.reviewRequest', text: 'please check auth.ts', via: 'marker' },
    ]);
  });

  it('ignores markers that do not start their line, and unknown kinds', () => {
    expect(detectMarkers('I could write [[orchestrate:milestone]] here\n[[orchestrate:done]] x')).toEqual([]);
  });

  it('returns nothing for plain text', () => {
    expect(detectMarkers('just text')).toEqual([]);
  });
});

describe('createMarkerScanner', () => {
  it('finds a marker split across deltas once its line is complete', () => {
    const scanner = createMarkerScanner();
    expect(scanner.feed('Step one.\n[[orches')).toEqual([]);
    expect(scanner.feed('trate:milestone]] step')).toEqual([]);
    expect(scanner.feed(' one done\nmore')).toEqual([{ type: 'agent.milestone', text: 'step one done', via: 'marker' }]);
    expect(scanner.flush()).toEqual([]);
  });

  it('finds a marker on the unfinished last line when the message ends', () => {
    const scanner = createMarkerScanner();
    scanner.feed('[[orchestrate:blocker]] stuck');
    expect(scanner.flush()).toEqual([{ type: 'agent.blocker', text: 'stuck', via: 'marker' }]);
    expect(scanner.flush()).toEqual([]);
  });

  it('does not buffer a long line that cannot be a marker', () => {
    const scanner = createMarkerScanner();
    for (let i = 0; i < 1000; i += 1) scanner.feed('x'.repeat(1000));
    expect(scanner.feed('\n[[orchestrate:review]] now')).toEqual([]);
    expect(scanner.flush()).toEqual([{ type: 'agent.reviewRequest', text: 'now', via: 'marker' }]);
  });
});
