import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'package.json': '{\n  "name": "demo-greeter",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'src/greet.js':
    "export function greet(name) {\n  if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');\n  return `Hello, ${name}!`;\n}\n",
  'test/greet.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../src/greet.js';\n\ntest('greets', () => assert.equal(greet('Ada'), 'Hello, Ada!'));\n",
};

// Writes the demo's small project into `dir` (not yet a git repository).
export async function writeDemoRepository(dir: string): Promise<void> {
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}
