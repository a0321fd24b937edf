import type { AgentEventOf } from '../../../domain/index.js';

type ToolKind = AgentEventOf<'agent.toolCall'>['kind'];
type ChangeKind = AgentEventOf<'agent.fileChange'>['kind'];

/** Gemini CLI's built-in tool names, by what they do. */
const KINDS: Readonly<Record<string, ToolKind>> = {
  run_shell_command: 'shell',
  write_file: 'write',
  replace: 'edit',
  edit: 'edit',
  read_file: 'read',
  read_many_files: 'read',
  glob: 'search',
  grep_search: 'search',
  search_file_content: 'search',
  list_directory: 'search',
  web_fetch: 'web',
  google_web_search: 'web',
};

// Normalizes a Gemini tool name; MCP tools carry their server in the name (mcp_<server>_<tool> or <server>__<tool>).
export function getGeminiToolKind(name: string): ToolKind {
  const kind = KINDS[name];
  if (kind) return kind;
  return name.startsWith('mcp_') || name.includes('__') ? 'mcp' : 'other';
}

// The file or directory a tool call works on.
export function getGeminiToolPath(parameters: Record<string, unknown>): string | undefined {
  for (const key of ['file_path', 'absolute_path', 'path', 'dir_path']) {
    const value = parameters[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

// What a successful call did to its file: write_file may have created or overwritten it, the stream does not say.
export function getGeminiChangeKind(name: string): ChangeKind | undefined {
  const kind = getGeminiToolKind(name);
  if (kind === 'write') return 'unknown';
  if (kind === 'edit') return 'update';
  return undefined;
}
