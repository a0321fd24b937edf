import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/run-session.js';
import { EXIT_CODES } from '../../src/runtime/errors.js';

type Ended = Parameters<typeof exitCodeOf>[0];

const ran: Ended['phases'] = [{ id: 'design', title: 'Design', status: 'failed', attempts: [{ agent: 'claude', status: 'failed' }], summary: '', files: [] }];
const neverRan: Ended['phases'] = [{ id: 'design', title: 'Design', status: 'failed', attempts: [], summary: '', files: [] }];
const toTrio = [{ from: null, to: 'trio', label: 'All three', reason: 'start' }];
const toNone = [...toTrio, { from: 'trio', to: 'none', label: 'None', reason: 'every agent failed' }];

describe('exitCodeOf', () => {
  it.each([
    { status: 'completed', interrupted: false, phases: ran, tierPath: toTrio, code: EXIT_CODES.success },
    // Ctrl-C raced the end: the work was done, and the exit code says so.
    { status: 'completed', interrupted: true, phases: ran, tierPath: toTrio, code: EXIT_CODES.success },
    { status: 'stopped', interrupted: true, phases: ran, tierPath: toTrio, code: EXIT_CODES.interrupted },
    // Stopped from the dashboard, no signal.
    { status: 'stopped', interrupted: false, phases: ran, tierPath: toTrio, code: EXIT_CODES.interrupted },
    { status: 'failed', interrupted: true, phases: ran, tierPath: toTrio, code: EXIT_CODES.interrupted },
    { status: 'failed', interrupted: false, phases: ran, tierPath: toTrio, code: EXIT_CODES.taskFailed },
    { status: 'failed', interrupted: false, phases: neverRan, tierPath: toTrio, code: EXIT_CODES.noAgent },
    { status: 'failed', interrupted: false, phases: ran, tierPath: toNone, code: EXIT_CODES.noAgent },
  ] as const)('$status, interrupted $interrupted → $code', ({ status, interrupted, phases, tierPath, code }) => {
    expect(exitCodeOf({ status, phases, tierPath }, interrupted)).toBe(code);
  });
});
