import type { AgentAdapter } from '../types.js';
import { classifyClaudeFailure } from './classify.js';
import { buildClaudeCommand } from './command.js';
import { createClaudeNormalizer } from './normalize.js';
import { buildClaudeReviewCommand } from './review-command.js';
import { buildClaudeSandboxProbe } from './sandbox-probe.js';

// Claude Code 2.1.x behind the AgentAdapter interface.
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  defaultCommand: ['claude'],
  versionArgs: ['--version'],
  buildCommand: buildClaudeCommand,
  buildReviewCommand: buildClaudeReviewCommand,
  buildSandboxProbe: buildClaudeSandboxProbe,
  createNormalizer: createClaudeNormalizer,
  classifyFailure: classifyClaudeFailure,
};
