// Contract: our Codex CLI adapter against the real `codex` binary (see ./suite.ts).
import { defineContractSuite } from './suite.js';

defineContractSuite({ agent: 'codex', model: 'gpt-5.5', reportsFileChanges: true });
