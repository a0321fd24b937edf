import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// Writes the files a command line names (`CommandLine.files`, absolute path → content) before it is
// spawned, creating their directories. Only the owner may read them: they describe how an agent is run.
export function writeCommandFiles(files: Readonly<Record<string, string>> | undefined): void {
  for (const [path, content] of Object.entries(files ?? {})) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, content, { mode: 0o600 });
  }
}
