import { homedir, tmpdir } from 'node:os';
import { createShellParser } from '../adapters/shell/index.js';
import { evaluateToolCall, resolvePolicy, unparsableVerdict, type ConfigFile, type EffectivePolicy, type PolicyDirectories, type ShellParser, type ToolCallChecker } from '../domain/index.js';

export { resolvePolicy } from '../domain/index.js';

// The checker of one session's tool calls: the shell parser (loaded here, once, so the first tool
// call does not pay for it) and the policy's pure decisions. A check of a command seen before
// costs microseconds; a new command adds its parse, a fraction of a millisecond. It never throws:
// a call it fails to check is one it cannot read.
export function createToolCallChecker(policy: EffectivePolicy, parse: ShellParser = createShellParser()): ToolCallChecker {
  return (call) => {
    try {
      return evaluateToolCall(call, policy, parse);
    } catch (error) {
      return unparsableVerdict(policy.unparsable, `the policy failed to check it (${(error as Error).message})`);
    }
  };
}

// The policy of a session on this machine: the user's home, and the temporary directories agents
// may write like their CLIs' sandboxes let them.
export function resolveSessionPolicy(config: ConfigFile, dirs: Omit<PolicyDirectories, 'home' | 'tempDirs'> & Partial<Pick<PolicyDirectories, 'home' | 'tempDirs'>>): EffectivePolicy {
  return resolvePolicy(config, { ...dirs, home: dirs.home ?? homedir(), tempDirs: dirs.tempDirs ?? [...new Set([tmpdir(), '/tmp'])] });
}
