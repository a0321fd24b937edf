import type { PolicyVerdict, ToolCallFacts } from '../policy-config.js';
import { toAbsolutePath, type EffectivePolicy } from './effective-policy.js';
import { evaluateShellCommand } from './evaluate-command.js';
import type { ShellParser } from './parsed-command.js';
import { checkReadPath, checkWritePath } from './path-rules.js';
import { allowVerdict, NETWORK_RULE } from './verdicts.js';

// The policy's verdict on one tool call of an agent. Shell commands need the shell parser; the
// rest are decided on their path, or are the tool's own business (MCP tools, the agents' to-do
// lists, subagents, whose own calls are checked in turn).
export function evaluateToolCall(call: ToolCallFacts, policy: EffectivePolicy, parse: ShellParser): PolicyVerdict {
  switch (call.kind) {
    case 'shell':
      // BashOutput and the like read a running shell's output and run nothing.
      return call.command === undefined ? allowVerdict(`${call.tool} runs no command`) : evaluateShellCommand(call.command, policy, parse);
    case 'write':
    case 'edit': {
      if (call.path === undefined) return allowVerdict(`${call.tool} names no path`);
      const path = toAbsolutePath(call.path, policy.cwd, policy.home);
      return checkWritePath(path, policy, { verb: call.kind === 'write' ? 'writes' : 'edits' }) ?? allowVerdict(`${path} is inside the allowed roots`);
    }
    case 'read':
    case 'search': {
      const path = toAbsolutePath(call.path ?? '.', policy.cwd, policy.home);
      return checkReadPath(path, policy, call.kind === 'search') ?? allowVerdict(`${path} may be read`);
    }
    case 'web':
      // Web tools run in the CLI itself, outside its sandbox: the policy is the only thing between them and the network.
      return policy.network
        ? allowVerdict(`${call.tool} may reach the network`, NETWORK_RULE)
        : { decision: 'ask', reason: `${call.tool} reaches the web, and the policy keeps agents off the network`, rule: NETWORK_RULE };
    default:
      return allowVerdict(`${call.tool} is not a shell, file or web tool`);
  }
}
