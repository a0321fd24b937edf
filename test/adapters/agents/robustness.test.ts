import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../src/adapters/agents/index.js';
import { AGENT_NAMES, AgentEventBodySchema } from '../../../src/domain/index.js';
import { readFixture, listFixtures } from './fixtures.js';

/** Lines no CLI should print, and the shapes a half-written or corrupted stream could have. */
const GARBAGE = [
  '',
  '   ',
  '\r',
  'plain text',
  '{',
  '{"type":',
  '}{',
  '[]',
  '"string"',
  'null',
  'true',
  '{"type":null}',
  '{"type":"result"}',
  '{"type":"result","subtype":7}',
  '{"type":"system"}',
  '{"type":"system","subtype":"init"}',
  '{"type":"assistant","message":null}',
  '{"type":"assistant","message":{"content":[null,1,"x",{"type":"tool_use"}]}}',
  '{"type":"user","message":{"content":[{"type":"tool_result"}]}}',
  '{"type":"item.completed","item":{}}',
  '{"type":"item.completed","item":{"id":"i","type":"command_execution"}}',
  '{"type":"turn.completed","usage":"lots"}',
  '{"type":"tool_result","tool_id":1}',
  '{"type":"message","role":"assistant","content":{"nested":true}}',
  '{"type":"__proto__","constructor":{"prototype":{}}}',
  '\u0000\u0001\u0002',
  '\uFFFD\uD800',
];

describe.each(AGENT_NAMES)('%s normalizer robustness', (name) => {
  it('never throws on garbage and reports what it cannot read', () => {
    const normalizer = getAdapter(name).createNormalizer();
    for (const line of GARBAGE) {
      const events = normalizer.push(line);
      for (const event of events) expect(AgentEventBodySchema.safeParse(event).success).toBe(true);
    }
    expect(normalizer.push('plain text')).toEqual([{ type: 'agent.unparsed', reason: 'invalidJson', line: 'plain text', bytes: 10 }]);
    expect(normalizer.push('   ')).toEqual([]);
    expect(normalizer.push('{"type":"no.such.event"}')).toEqual([
      { type: 'agent.unparsed', reason: 'unknownType', line: '{"type":"no.such.event"}', bytes: 24 },
    ]);
  });

  it('bounds the preview of a huge line', () => {
    const huge = `{"type":"x","pad":"${'a'.repeat(5_000_000)}"`;
    const [event] = getAdapter(name).createNormalizer().push(huge);
    expect(event).toMatchObject({ type: 'agent.unparsed', reason: 'invalidJson', bytes: huge.length });
    expect(event?.type === 'agent.unparsed' && event.line.length).toBeLessThanOrEqual(2000);
  });

  it('never throws on any fixture line cut in half', () => {
    const normalizer = getAdapter(name).createNormalizer();
    for (const file of listFixtures(name)) {
      for (const line of readFixture(name, file).split('\n')) {
        expect(() => normalizer.push(line.slice(0, Math.floor(line.length / 2)))).not.toThrow();
      }
    }
    expect(() => normalizer.finish({ exitCode: null, signal: 'SIGKILL' }, '\u0000garbage')).not.toThrow();
  });
});
