import { readFileSync, writeFileSync } from 'node:fs';
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
  'sandboxUnavailable',
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
  /** `path` (relative to the working directory) is where a `permission` failure writes: denied only outside the directories the CLI was given. */
  fail: z.strictObject({ kind: FailKindSchema, path: z.string().min(1).optional() }),
  crash: z.strictObject({ code: z.number().int().min(0).max(255) }),
  hang: Flag,
  garbage: z.strictObject({ lines: Count }),
  hugeLine: z.strictObject({ bytes: Count }),
  retryForever: Flag,
  ignoreSigterm: Flag,
  exit: z.strictObject({ code: z.number().int().min(0).max(255) }),
  /** Allocates `mb` MiB and touches every page (resident memory), then holds it for `holdMs`. */
  allocate: z.strictObject({ mb: z.number().int().positive(), holdMs: Count.optional() }),
  /** Keeps one CPU busy for `ms` of wall-clock time. */
  spin: z.strictObject({ ms: Count }),
  /** Calls a tool of an MCP server found in the command line; `secret`/`secretFile` replace the server's secret. */
  mcp: z
    .strictObject({
      tool: z.string().min(1),
      arguments: z.record(z.string(), z.unknown()).optional(),
      server: z.string().min(1).optional(),
      secret: z.string().optional(),
      secretFile: RelativePath.optional(),
    })
    .refine((m) => m.secret === undefined || m.secretFile === undefined, 'give secret or secretFile, not both'),
  /** Writes the secret of an MCP server found in the command line to a file (for a later run to misuse). */
  saveSecret: z.strictObject({ path: RelativePath, server: z.string().min(1).optional() }),
  /** A reviewer's final answer: a JSON value, or a raw string printed as it is. */
  answer: z.unknown(),
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
  /** The steps of a read-only review call (see isReviewInvocation). */
  review: z.array(StepSchema).optional(),
  /** The steps of each successive review call instead, one list per call, the last repeated (see nextCall). */
  reviews: z.array(z.array(StepSchema)).min(1).optional(),
  /** The steps of each successive worker run instead of `steps` (a failure, then the relaunch's success, say). */
  runs: z.array(z.array(StepSchema)).min(1).optional(),
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

/** What a reviewer answers when its scenario says nothing about reviews: it approves. */
export const DEFAULT_REVIEW: Step[] = [{ answer: { verdict: 'approve', findings: [], summary: 'The change does what the phase asked; nothing to fix.' } }];

// The steps for this run: a read-only review call runs `review` (an approval when the scenario has
// none: a reviewer never runs a worker's writing steps); otherwise the role's steps when the prompt
// names a role the scenario has, else `steps`.
export function selectSteps(scenario: Scenario, prompt: string, call: { review: boolean; n: number }): Step[] {
  if (call.review) return nth(scenario.reviews, call.n) ?? scenario.review ?? DEFAULT_REVIEW;
  const run = nth(scenario.runs, call.n);
  if (run) return run;
  const role = ROLE_LINE.exec(prompt)?.[1];
  const roleSteps = role === undefined ? undefined : scenario.roles?.[role];
  return roleSteps ?? scenario.steps;
}

// The nth list of a sequence, the last repeated.
function nth<T>(lists: readonly T[] | undefined, n: number): T | undefined {
  return lists?.[Math.min(n, lists.length) - 1];
}

// Counts the calls of a kind ('review' or 'run') made with one scenario file, in a file beside it:
// each call is a process of its own, and a scenario with `reviews` or `runs` takes their lists in turn.
export function nextCall(scenarioFile: string, kind: 'review' | 'run'): number {
  const counter = `${scenarioFile}.${kind}-calls`;
  let calls = 0;
  try {
    calls = Number(readFileSync(counter, 'utf8')) || 0;
  } catch {
    // The first call.
  }
  writeFileSync(counter, String(calls + 1));
  return calls + 1;
}
