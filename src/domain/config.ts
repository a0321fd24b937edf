import { z } from 'zod';
import { AgentNameSchema, type AgentName } from './agents.js';
import { PlanSchema } from './plan.js';
import type { ReviewSettings, WorkerRecoverySettings } from './machine-inputs.js';
import { PolicyConfigSchema } from './policy-config.js';
import { UnresolvedActionSchema } from './review.js';

const AgentSettingsSchema = z
  .object({
    /** Set false to leave this agent out of every session. */
    enabled: z.boolean().default(true),
    /** The executable and any leading arguments, instead of the agent's usual binary on PATH. */
    command: z.array(z.string().min(1)).min(1).optional(),
    model: z.string().min(1).optional(),
  })
  .strict();

const TimeoutsSchema = z
  .object({
    /** No meaningful output for this long means an agent is stalled. */
    idleSeconds: z.number().positive().default(300),
    /** A phase may run this long at most. */
    phaseSeconds: z.number().positive().default(3600),
    /** Between SIGTERM and SIGKILL when an agent is stopped. */
    stopGraceSeconds: z.number().positive().default(5),
  })
  .strict();

const ReviewConfigSchema = z
  .object({
    /** Review cycles run at all (after each phase, and on milestones, blockers, requests and the interval). */
    enabled: z.boolean().default(true),
    /** Revision rounds an author gets for one piece of work before the review is unresolved. */
    maxRounds: z.number().int().min(0).max(10).default(2),
    /** How long each reviewer may take. */
    reviewerSeconds: z.number().positive().default(300),
    /** A review runs when none has for this long while an agent works; 0 turns it off. */
    intervalMinutes: z.number().nonnegative().default(15),
    /** With no valid review, or the rounds used up: ask a person, or go on with a warning. */
    onUnresolved: UnresolvedActionSchema.default('escalate'),
  })
  .strict();

const RecoveryConfigSchema = z
  .object({
    /** Failures go through recovery attempts (relaunch with a fix, back off and retry); off: a failure ends the worker. */
    enabled: z.boolean().default(true),
    /** Recovery attempts one worker may make. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** The restart-intensity limit: this many relaunches within periodSeconds give the worker up. */
    maxRestarts: z.number().int().min(1).default(3),
    periodSeconds: z.number().positive().default(60),
    /** The first backoff before a retry (rate limits, network); each attempt doubles it, up to a minute. */
    backoffSeconds: z.number().nonnegative().default(2),
  })
  .strict();

/** The config file, `orchestrate.config.json`. Every field is optional. */
export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    agents: z.partialRecord(AgentNameSchema, AgentSettingsSchema).default({}),
    /** A plan inline, or the path of a plan file relative to the config file. */
    plan: z.union([PlanSchema, z.string().min(1)]).optional(),
    /** Where sessions keep worktrees, logs and state; relative to the target. */
    workspace: z.string().min(1).optional(),
    /** Directories every agent may use besides its worktree. */
    extraDirs: z.array(z.string().min(1)).default([]),
    /**
     * Pass the CLIs' trust-gate flags from the start (Codex --skip-git-repo-check, Gemini --skip-trust): the
     * worktree is one orchestrate made. false lets a trust gate fire, and recovery relaunches past it.
     */
    trustWorktree: z.boolean().default(true),
    timeouts: TimeoutsSchema.default(TimeoutsSchema.parse({})),
    review: ReviewConfigSchema.default(ReviewConfigSchema.parse({})),
    policy: PolicyConfigSchema.default(PolicyConfigSchema.parse({})),
    recovery: RecoveryConfigSchema.default(RecoveryConfigSchema.parse({})),
    /** Longer stdout lines are dropped and reported, never buffered whole. */
    maxLineBytes: z.number().int().min(1024).default(8 * 1024 * 1024),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type AgentSettings = z.infer<typeof AgentSettingsSchema>;
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;
export type RecoveryConfig = z.infer<typeof RecoveryConfigSchema>;

// The agents a config leaves enabled, in the canonical order.
export function getEnabledAgents(config: ConfigFile, only?: readonly AgentName[]): AgentName[] {
  return AgentNameSchema.options.filter(
    (agent) => config.agents[agent]?.enabled !== false && (only === undefined || only.includes(agent)),
  );
}

// Turns zod issues into lines a person can act on: where, and what was expected.
export function formatConfigIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `  ${where}: ${describeIssue(issue)}`;
  });
  return [`${source} is not valid:`, ...lines].join('\n');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

// One setting of every agent that has it, e.g. each configured command or model.
export function getAgentSettings<K extends 'command' | 'model'>(config: ConfigFile, key: K): Partial<Record<AgentName, NonNullable<AgentSettings[K]>>> {
  const found: Partial<Record<AgentName, NonNullable<AgentSettings[K]>>> = {};
  for (const agent of AgentNameSchema.options) {
    const value = config.agents[agent]?.[key];
    if (value !== undefined) found[agent] = value as NonNullable<AgentSettings[K]>;
  }
  return found;
}

// The review settings a session runs with, from the config's review section.
export function toReviewSettings(config: ConfigFile): ReviewSettings {
  const { enabled, maxRounds, reviewerSeconds, intervalMinutes, onUnresolved } = config.review;
  return { enabled, maxRounds, reviewerTimeoutMs: reviewerSeconds * 1000, intervalMs: intervalMinutes * 60_000, onUnresolved };
}

// How a session's workers recover, from the config's recovery section; undefined when it is off.
export function toRecoverySettings(config: ConfigFile, allowedRoots: string[]): WorkerRecoverySettings | undefined {
  const { enabled, maxAttempts, maxRestarts, periodSeconds, backoffSeconds } = config.recovery;
  if (!enabled) return undefined;
  return { maxAttempts, intensity: { maxRestarts, periodMs: periodSeconds * 1000 }, backoffMs: backoffSeconds * 1000, allowedRoots };
}
