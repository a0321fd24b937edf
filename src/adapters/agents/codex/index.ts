import type { AgentAdapter } from '../types.js';
import { classifyCodexFailure } from './classify.js';
import { buildCodexCommand } from './command.js';
import { createCodexNormalizer } from './normalize.js';
import { buildCodexReviewCommand } from './review-command.js';
import { buildCodexSandboxProbe } from './sandbox-probe.js';

// Codex CLI 0.169 behind the AgentAdapter interface.
export const codexAdapter: AgentAdapter = {
  name: 'codex',
  defaultCommand: ['codex'],
  versionArgs: ['--version'],
  buildCommand: buildCodexCommand,
  buildReviewCommand: buildCodexReviewCommand,
  buildSandboxProbe: buildCodexSandboxProbe,
  createNormalizer: createCodexNormalizer,
  classifyFailure: classifyCodexFailure,
};
