// Contract: our Gemini CLI adapter against the real `gemini` bundle (see ./suite.ts).
import { defineContractSuite } from './suite.js';

defineContractSuite({ agent: 'gemini', model: 'gemini-2.5-flash', reportsFileChanges: false });
