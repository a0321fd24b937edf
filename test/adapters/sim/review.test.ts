import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, parseAll, requireBuilt, runSim, vendorArgs } from './helpers.js';

beforeAll(requireBuilt);
afterEach(cleanup);

const ANSWER = { verdict: 'approve', findings: [], summary: 'Fine.' };
const SCENARIO = { steps: [{ say: 'worker steps' }], review: [{ say: 'Reading.' }, { answer: ANSWER }] };
const SCHEMA = '{"type":"object"}';

// The review invocations the adapters build (review-command.ts), with the prompt in place.
const REVIEW_ARGS: Record<string, string[]> = {
  claude: ['-p', 'review', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'plan', '--tools', 'Read,Grep,Glob', '--strict-mcp-config', '--json-schema', SCHEMA],
  codex: ['exec', '--json', '--sandbox', 'read-only', '-c', 'approval_policy="never"', '--output-schema', '/nonexistent/schema.json', 'review'],
  gemini: ['-p', 'review', '--output-format', 'stream-json', '--approval-mode', 'plan', '--policy', '/nonexistent/policy.toml', '--skip-trust'],
};

type Ev = Record<string, unknown>;
const texts = (events: Ev[]) => JSON.stringify(events);

describe('sim review calls', () => {
  it.each(['claude', 'codex', 'gemini'])('%s: a review invocation runs the review steps, a worker invocation the default ones', async (vendor) => {
    const review = await runSim(vendor, SCENARIO, REVIEW_ARGS[vendor]!);
    expect(review.code).toBe(0);
    expect(texts(parseAll(review.lines))).toContain('Reading.');
    expect(texts(parseAll(review.lines))).not.toContain('worker steps');
    const work = await runSim(vendor, SCENARIO, vendorArgs(vendor, 'work'));
    expect(texts(parseAll(work.lines))).toContain('worker steps');
  });

  it('approves, and runs no worker step, when the scenario says nothing about reviews', async () => {
    const review = await runSim('codex', { steps: [{ say: 'worker steps' }, { write: { path: 'out.txt', content: 'x' } }] }, REVIEW_ARGS.codex!);
    expect(review.code).toBe(0);
    const events = parseAll(review.lines);
    expect(texts(events)).not.toContain('worker steps');
    const answer = events.flatMap((e) => (e.type === 'item.completed' && (e.item as Ev).type === 'agent_message' ? [(e.item as { text: string }).text] : [])).at(-1)!;
    expect(JSON.parse(answer)).toMatchObject({ verdict: 'approve', findings: [] });
  });

  it('claude with --json-schema: the answer is a StructuredOutput call and the result carries structured_output', async () => {
    const ev = parseAll((await runSim('claude', SCENARIO, REVIEW_ARGS.claude!)).lines);
    const tool = ev.flatMap((e) => ((e.message as { content?: Ev[] } | undefined)?.content ?? [])).find((b) => b.type === 'tool_use');
    expect(tool).toMatchObject({ name: 'StructuredOutput', input: ANSWER });
    expect(ev.at(-1)).toMatchObject({ type: 'result', is_error: false, result: JSON.stringify(ANSWER), structured_output: ANSWER });
  });

  it('claude without --json-schema, or with a text answer: a plain final message, no structured_output', async () => {
    const plain = parseAll((await runSim('claude', SCENARIO, REVIEW_ARGS.claude!.slice(0, -2))).lines);
    expect(plain.at(-1)).toMatchObject({ type: 'result', result: JSON.stringify(ANSWER) });
    expect(plain.at(-1)).not.toHaveProperty('structured_output');
    const text = parseAll((await runSim('claude', { steps: [], review: [{ answer: 'no JSON here' }] }, REVIEW_ARGS.claude!)).lines);
    expect(text.at(-1)).toMatchObject({ type: 'result', result: 'no JSON here' });
    expect(text.at(-1)).not.toHaveProperty('structured_output');
  });

  it('codex: the answer is the last agent_message, as JSON text', async () => {
    const ev = parseAll((await runSim('codex', SCENARIO, REVIEW_ARGS.codex!)).lines);
    const messages = ev.filter((e) => (e.item as Ev | undefined)?.type === 'agent_message').map((e) => (e.item as Ev).text);
    expect(messages.at(-1)).toBe(JSON.stringify(ANSWER));
    expect(ev.at(-1)).toMatchObject({ type: 'turn.completed' });
  });

  it('gemini: the answer is assistant text on a line of its own', async () => {
    const ev = parseAll((await runSim('gemini', SCENARIO, REVIEW_ARGS.gemini!)).lines);
    const reply = ev.filter((e) => e.type === 'message' && e.role === 'assistant').map((e) => e.content).join('');
    expect(reply).toBe(`Reading.\n${JSON.stringify(ANSWER)}`);
  });
});
