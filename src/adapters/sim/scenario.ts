import { readFileSync } from 'node:fs';
import { z } from 'zod';

// Failure kinds the sim can reproduce with each vendor's real output (see README.md).
export const FailKindSchema = z.enum([
  'auth',
  'network',
  'permission',
  'trust',
  'turnLimit',
  'budget',
  'rateLimit',
  'toolUnavailable',
]);
// One of the failure kinds above.
export type FailKind = z.infer<typeof FailKindSchema>;

const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.startsWith('\\') && !/^[A-Za-z]:/.test(p), 'must be a relative path')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must stay inside the working directory (no "..")');

const Count = z.number().int().nonnegative();
const Flag = z.union([z.literal(true), z.strictObject({})]);

const actions = {
  say: z.string(),
  think: z.string(),
  write: z.strictObject({ path: RelativePath, content: z.string() }),
  edit: z.strictObject({ path: RelativePath, find: z.string().min(1), replace: z.string() }),
  shell: z.strictObject({ command: z.string().min(1), timeoutMs: z.number().int().positive().optional() }),
  sleep: Count,
  usage: z.strictObject({ input: Count, output: Count, costUsd: z.number().nonnegative().optional() }),
  marker: z.strictObject({ kind: z.enum(['milestone', 'blocker', 'review']), text: z.string() }),
  events: z
    .strictObject({ count: Count, intervalMs: Count.optional(), perSecond: z.number().positive().optional(), stamp: z.boolean().optional() })
    .refine((e) => !(e.intervalMs && e.perSecond), 'intervalMs and perSecond pace the messages two ways: give one'),
  fail: z.strictObject({ kind: FailKindSchema }),
  crash: z.strictObject({ code: z.number().int().min(0).max(255) }),
  hang: Flag,
  garbage: z.strictObject({ lines: Count }),
  hugeLine: z.strictObject({ bytes: Count }),
  retryForever: Flag,
  ignoreSigterm: Flag,
  exit: z.strictObject({ code: z.number().int().min(0).max(255) }),
};

type Actions = { [K in keyof typeof actions]: z.infer<(typeof actions)[K]> };

// One scenario step: an object with exactly one action key, e.g. { "say": "hello" }.
export type Step = { [K in keyof Actions]: { [P in K]: Actions[K] } }[keyof Actions];

const StepSchema = z
  .strictObject(Object.fromEntries(Object.entries(actions).map(([k, s]) => [k, s.optional()])))
  .refine((s) => Object.keys(s).length === 1, {
    message: `a step needs exactly one action key: ${Object.keys(actions).join(', ')}`,
  })
  .transform((s) => s as Step);

// The scenario file: default steps, and optional per-role steps chosen by the prompt's "Your role: <role>." line.
export const ScenarioSchema = z.strictObject({
  description: z.string().optional(),
  steps: z.array(StepSchema),
  roles: z.record(z.string(), z.array(StepSchema)).optional(),
});
// A validated scenario.
export type Scenario = z.infer<typeof ScenarioSchema>;

// Reads and validates a scenario file; the error text names the file and each invalid field.
export function loadScenario(file: string): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: `cannot read scenario ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `invalid scenario ${file}:\n${z.prettifyError(parsed.error)}` };
  return { ok: true, scenario: parsed.data };
}

const ROLE_LINE = /^[ \t]*Your role: (.+?)\.[ \t]*$/m;

// The steps for this prompt: the role's steps when the prompt names a role the scenario has, else `steps`.
export function selectSteps(scenario: Scenario, prompt: string): Step[] {
  const role = ROLE_LINE.exec(prompt)?.[1];
  const roleSteps = role === undefined ? undefined : scenario.roles?.[role];
  return roleSteps ?? scenario.steps;
}
