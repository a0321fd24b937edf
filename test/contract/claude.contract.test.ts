// Contract: our Claude Code adapter against the real `claude` binary (see ./suite.ts).
import { defineContractSuite } from './suite.js';

defineContractSuite({ agent: 'claude', model: 'claude-sonnet-4-5', reportsFileChanges: false });
