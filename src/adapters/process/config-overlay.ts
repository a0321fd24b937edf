import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigOverlay } from '../agents/types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Objects merge key by key; anything else in `over` replaces what `base` had.
export function mergeSettings(base: Json, over: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? mergeSettings(current, value) : value;
  }
  return merged;
}

// Drops // and /* */ comments outside strings: Gemini's settings files may carry them.
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i++;
      } else if (c === '"') inString = false;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      if (c === '"') inString = true;
      out += c;
    }
  }
  return out;
}

// The user's settings as an object; none when the file is missing or not a JSON object (the CLI ignores it then too).
function readSettings(file: string): Json {
  try {
    const parsed: unknown = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// The user's own config directory, from the first home variable set in their environment.
function findUserDir(overlay: ConfigOverlay, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const home = overlay.homeVariables.map((name) => env[name]).find((value) => value !== undefined && value !== '');
  const dir = home === undefined ? undefined : join(home, overlay.subdir);
  return dir !== undefined && isDirectory(dir) ? dir : undefined;
}

// Builds the overlay (see ConfigOverlay): links to the user's entries, and the merged settings file (0600).
// `env` is the user's environment as the agent would have it without the overlay.
export function buildConfigOverlay(overlay: ConfigOverlay, env: Readonly<Record<string, string | undefined>>): void {
  mkdirSync(overlay.dir, { recursive: true, mode: 0o700 });
  const userDir = findUserDir(overlay, env);
  if (userDir !== undefined) {
    for (const keep of overlay.keep) mkdirSync(join(userDir, keep), { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(userDir)) {
      if (entry !== overlay.settingsFile) symlinkSync(join(userDir, entry), join(overlay.dir, entry));
    }
  }
  const user = userDir === undefined ? {} : readSettings(join(userDir, overlay.settingsFile));
  const settings = mergeSettings(user, overlay.settings);
  writeFileSync(join(overlay.dir, overlay.settingsFile), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}
