/*
 * Reads the recorded CLI streams in test/fixtures/agents/<cli>/ (verbatim captures, see the research
 * fixtures README) and runs them through an adapter's normalizer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentEventBody, AgentEventOf, AgentEventType, AgentName } from '../../../src/domain/index.js';
import { getAdapter } from '../../../src/adapters/agents/index.js';
import type { ProcessExit } from '../../../src/adapters/agents/types.js';

const FIXTURES = new URL('../../fixtures/agents/', import.meta.url);

// The file names of one CLI's fixtures.
export function listFixtures(cli: AgentName): string[] {
  return readdirSync(fileURLToPath(new URL(`${cli}/`, FIXTURES))).sort();
}

// The text of one fixture file.
export function readFixture(cli: AgentName, name: string): string {
  return readFileSync(fileURLToPath(new URL(`${cli}/${name}`, FIXTURES)), 'utf8');
}

// A clean exit, or the exit status a recorded run had (runs/<name>.rc).
export function exited(exitCode: number | null, signal: string | null = null): ProcessExit {
  return { exitCode, signal };
}

// Feeds a fixture line by line through a fresh normalizer, then finish() with the recorded exit.
export function normalizeFixture(cli: AgentName, name: string, exit: ProcessExit, stderrTail = ''): AgentEventBody[] {
  return normalizeLines(cli, readFixture(cli, name).split('\n'), exit, stderrTail);
}

// Feeds lines through a fresh normalizer of one CLI, then finish().
export function normalizeLines(cli: AgentName, lines: string[], exit: ProcessExit, stderrTail = ''): AgentEventBody[] {
  const normalizer = getAdapter(cli).createNormalizer();
  const events = lines.flatMap((line) => normalizer.push(line));
  return [...events, ...normalizer.finish(exit, stderrTail)];
}

// The events of one type, typed.
export function eventsOf<T extends AgentEventType>(events: AgentEventBody[], type: T): AgentEventOf<T>[] {
  return events.filter((event): event is AgentEventOf<T> => event.type === type);
}

// The codes of the agent.error events, in order.
export function errorCodes(events: AgentEventBody[]): string[] {
  return eventsOf(events, 'agent.error').map((event) => event.code);
}
