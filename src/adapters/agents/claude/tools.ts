import type { AgentEventOf } from '../../../domain/index.js';

type ToolKind = AgentEventOf<'agent.toolCall'>['kind'];
type ChangeKind = AgentEventOf<'agent.fileChange'>['kind'];

/** Claude Code's built-in tool names (sdk-tools.d.ts), by what they do. */
const KINDS: Readonly<Record<string, ToolKind>> = {
  Bash: 'shell',
  BashOutput: 'shell',
  Write: 'write',
  Edit: 'edit',
  MultiEdit: 'edit',
  NotebookEdit: 'edit',
  Read: 'read',
  NotebookRead: 'read',
  Glob: 'search',
  Grep: 'search',
  LS: 'search',
  WebFetch: 'web',
  WebSearch: 'web',
};

// Normalizes a Claude tool name; MCP tools are named mcp__<server>__<tool>.
export function getClaudeToolKind(name: string): ToolKind {
  if (name.startsWith('mcp__')) return 'mcp';
  return KINDS[name] ?? 'other';
}

// The file or directory a tool call works on, from the input fields the built-in tools use.
export function getClaudeToolPath(input: Record<string, unknown>): string | undefined {
  for (const key of ['file_path', 'notebook_path', 'path']) {
    const value = input[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

// The command of a Bash call.
export function getClaudeToolCommand(name: string, input: Record<string, unknown>): string | undefined {
  return getClaudeToolKind(name) === 'shell' && typeof input.command === 'string' ? input.command : undefined;
}

// What a successful call of a file-writing tool did to its file; undefined for tools that change no file.
export function getClaudeChangeKind(name: string, toolUseResult: unknown): ChangeKind | undefined {
  const kind = getClaudeToolKind(name);
  if (kind === 'edit') return 'update';
  if (kind !== 'write') return undefined;
  // Write reports {type: "create"} for a new file (OBSERVED) and {type: "update"} when it overwrote one.
  const type = typeof toolUseResult === 'object' && toolUseResult !== null ? (toolUseResult as { type?: unknown }).type : undefined;
  if (type === 'create') return 'add';
  if (type === 'update') return 'update';
  return 'unknown';
}

// The text of a tool_result's content: a string, or an array of text blocks.
export function getToolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: unknown) => (typeof block === 'object' && block !== null && 'text' in block ? String(block.text) : ''))
    .filter((text) => text !== '')
    .join('\n');
}
