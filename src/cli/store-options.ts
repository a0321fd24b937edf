import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OrchestrateError } from '../runtime/errors.js';
import { DATABASE_FILE, openWorkspaceStore, type WorkspaceStore } from '../runtime/workspace-store.js';
import { resolveWorkspace } from './options.js';

export interface StoreFlags {
  target: string;
  workspace?: string;
  db?: string;
}

// The options every command that reads past sessions takes.
export function addStoreOptions(command: Command): Command {
  return command
    .option('--target <dir>', 'the repository whose sessions to use', '.')
    .option('--workspace <dir>', 'the workspace (default: <target>/.orchestrate)')
    .option('--db <file>', `the database (default: <workspace>/${DATABASE_FILE})`);
}

// The workspace directory and database path the flags name.
export function resolveStore(flags: StoreFlags): { workspace: string; dbPath?: string } {
  return { workspace: resolveWorkspace(resolve(flags.target), flags.workspace), dbPath: flags.db ? resolve(flags.db) : undefined };
}

// Opens an existing workspace database; a missing one is a usage error, not a new empty database.
export function openExistingStore(flags: StoreFlags): WorkspaceStore {
  const { workspace, dbPath } = resolveStore(flags);
  const path = dbPath ?? resolve(workspace, DATABASE_FILE);
  if (!existsSync(path)) throw new OrchestrateError(`no sessions here: ${path} does not exist (use --target, --workspace or --db)`);
  return openWorkspaceStore(workspace, path);
}
