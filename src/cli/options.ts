import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { AGENT_NAMES, AgentNameSchema, type AgentName } from '../domain/index.js';

// Parses --agents claude,codex into agent names, rejecting unknown ones.
export function parseAgentList(value: string): AgentName[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!AgentNameSchema.safeParse(name).success) {
      throw new InvalidArgumentError(`unknown agent "${name}"; choose from ${AGENT_NAMES.join(', ')}`);
    }
  }
  return names as AgentName[];
}

// The workspace defaults to .orchestrate inside the target, excluded from its git status.
export function resolveWorkspace(target: string, workspace?: string): string {
  return workspace ? resolve(workspace) : resolve(target, '.orchestrate');
}
