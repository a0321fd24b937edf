/*
 * TOML values, for Codex's `-c <dotted.path>=<TOML value>` overrides and Gemini's policy files. A JSON
 * string literal is a TOML basic string once DEL is escaped too; keys outside [A-Za-z0-9_-] are quoted.
 */
// A TOML basic string.
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
}

// A TOML key, quoted when it must be.
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

// A TOML array of strings.
export function tomlStringArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(',')}]`;
}

// A TOML inline table of strings.
export function tomlInlineTable(table: Record<string, string>): string {
  return `{${Object.entries(table).map(([key, value]) => `${tomlKey(key)}=${tomlString(value)}`).join(',')}}`;
}
