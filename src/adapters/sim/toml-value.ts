/*
 * The TOML values Codex's `-c key=value` overrides take, as far as MCP server entries need them: basic and
 * literal strings, arrays and inline tables of those, and bare words. Like Codex, a value that does not parse
 * is taken as the raw string.
 */
export type TomlValue = string | number | boolean | TomlValue[] | { [key: string]: TomlValue };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  value(): TomlValue {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.list('[', ']', () => this.value());
    if (c === '{') return Object.fromEntries(this.list('{', '}', () => this.entry()));
    return this.bare();
  }

  private entry(): [string, TomlValue] {
    this.skipSpace();
    const key = this.text[this.at] === '"' || this.text[this.at] === "'" ? this.string() : this.word();
    this.expect('=');
    return [key, this.value()];
  }

  private list<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open);
    const items: T[] = [];
    this.skipSpace();
    while (this.text[this.at] !== close) {
      items.push(item());
      this.skipSpace();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== close) throw new Error(`expected , or ${close}`);
      this.skipSpace();
    }
    this.at++;
    return items;
  }

  private string(): string {
    const quote = this.text[this.at]!;
    let end = this.at + 1;
    while (end < this.text.length && this.text[end] !== quote) end += quote === '"' && this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) throw new Error('unterminated string');
    const raw = this.text.slice(this.at, end + 1);
    this.at = end + 1;
    return quote === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private bare(): TomlValue {
    const word = this.word();
    if (word === 'true' || word === 'false') return word === 'true';
    return /^[+-]?\d+(\.\d+)?$/.test(word) ? Number(word) : word;
  }

  private word(): string {
    const match = /^[A-Za-z0-9_.+-]+/.exec(this.text.slice(this.at));
    if (!match) throw new Error('expected a value');
    this.at += match[0].length;
    return match[0];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.at] !== c) throw new Error(`expected ${c}`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }
}

// Parses one override value; the raw text when it is not TOML.
export function parseTomlValue(text: string): TomlValue {
  try {
    const reader = new Reader(text);
    const value = reader.value();
    return reader.done() ? value : text;
  } catch {
    return text;
  }
}
