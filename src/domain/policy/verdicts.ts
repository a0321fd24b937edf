import type { PolicyVerdict } from '../policy-config.js';

/** The rule named by verdicts on commands the policy cannot read. */
export const UNPARSABLE_RULE = 'policy.unparsable';
/** The rule named by verdicts on web tools while the network is off. */
export const NETWORK_RULE = 'policy.network';

const SEVERITY: Record<PolicyVerdict['decision'], number> = { allow: 0, ask: 1, deny: 2 };

export function allowVerdict(reason: string, rule?: string): PolicyVerdict {
  return rule === undefined ? { decision: 'allow', reason } : { decision: 'allow', reason, rule };
}

// What a command the policy cannot read gets: never allow, the config says ask or deny.
export function unparsableVerdict(decision: 'ask' | 'deny', why: string): PolicyVerdict {
  return { decision, reason: `cannot tell what this runs: ${why}`, rule: UNPARSABLE_RULE };
}

// Deny over ask over allow; among equals, the first found.
export function pickStrictest(verdicts: readonly PolicyVerdict[]): PolicyVerdict | undefined {
  let strictest: PolicyVerdict | undefined;
  for (const verdict of verdicts) {
    if (!strictest || SEVERITY[verdict.decision] > SEVERITY[strictest.decision]) strictest = verdict;
  }
  return strictest;
}
