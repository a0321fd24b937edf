import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { applyPolicyOverrides, ConfigFileSchema, createDefaultPlan, formatConfigIssues, PlanSchema, type ConfigFile, type Plan, type PolicyOverrides } from '../domain/index.js';
import { OrchestrateError } from '../runtime/errors.js';

export const CONFIG_FILE_NAME = 'orchestrate.config.json';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OrchestrateError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OrchestrateError(`the ${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, source: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new OrchestrateError(formatConfigIssues(source, result.error));
  return result.data;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  config: ConfigFile;
  /** The config file's path, when there was one. */
  path?: string;
  plan: Plan;
}

// Loads the config file (the explicit one, else orchestrate.config.json in the target, if any)
// and the plan (--plan, else the config's, else the default plan). Policy flags win over the file.
export async function loadConfig(options: { configPath?: string; target: string; planPath?: string; policy?: PolicyOverrides }): Promise<LoadedConfig> {
  const candidate = options.configPath ? resolve(options.configPath) : resolve(options.target, CONFIG_FILE_NAME);
  const path = options.configPath || existsSync(candidate) ? candidate : undefined;
  const file = path ? parseWith(ConfigFileSchema, await readJson(path, 'config file'), path) : ConfigFileSchema.parse({});
  const config = options.policy ? { ...file, policy: applyPolicyOverrides(file.policy, options.policy) } : file;
  let plan = createDefaultPlan();
  const planPath = options.planPath
    ? resolve(options.planPath)
    : typeof config.plan === 'string' && path
      ? resolve(dirname(path), config.plan)
      : undefined;
  if (planPath) plan = parseWith(PlanSchema, await readJson(planPath, 'plan file'), planPath);
  else if (config.plan && typeof config.plan !== 'string') plan = config.plan;
  return { config, path, plan };
}
