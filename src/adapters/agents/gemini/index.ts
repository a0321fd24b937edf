import type { AgentAdapter } from '../types.js';
import { classifyGeminiFailure } from './classify.js';
import { buildGeminiCommand } from './command.js';
import { createGeminiNormalizer } from './normalize.js';
import { buildGeminiReviewCommand } from './review-command.js';
import { buildGeminiSandboxProbe } from './sandbox-probe.js';

// Gemini CLI 0.61 behind the AgentAdapter interface.
export const geminiAdapter: AgentAdapter = {
  name: 'gemini',
  defaultCommand: ['gemini'],
  versionArgs: ['--version'],
  buildCommand: buildGeminiCommand,
  buildReviewCommand: buildGeminiReviewCommand,
  buildSandboxProbe: buildGeminiSandboxProbe,
  createNormalizer: createGeminiNormalizer,
  classifyFailure: classifyGeminiFailure,
};
