/** A stored row that could not be read back; it was skipped. */
export interface CorruptRow {
  table: string;
  /** The row's key, e.g. `session-1#42`. */
  key: string;
  reason: string;
}

/** Told about each skipped row, so a damaged row is reported once instead of crashing a reader. */
export type CorruptRowHandler = (row: CorruptRow) => void;

// Default handler: a process warning, visible in the log without stopping anything.
export const warnCorruptRow: CorruptRowHandler = (row) => {
  process.emitWarning(`skipped a corrupt ${row.table} row ${row.key}: ${row.reason}`, 'CorruptRowWarning');
};

/** A read that can fail without throwing: the reason goes to the corrupt-row report. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

// Parses a JSON column without throwing: the data is ours, but a disk or a hand edit can damage it.
export function parseJson(text: unknown): Parsed<unknown> {
  if (typeof text !== 'string') return { ok: false, reason: `expected JSON text, found ${typeof text}` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

// Parses a JSON column that must hold an array of strings (agent names, tier ids).
export function parseStringArray(text: unknown): Parsed<string[]> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return { ok: false, reason: 'expected an array of strings' };
  return { ok: true, value };
}

// True for a plain JSON object (not an array or null).
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown by the column readers below; readRow turns it into a skipped row. */
class CorruptField extends Error {}

// Builds a record from a row with the column readers below; a bad column makes the whole row corrupt.
export function readRow<T>(build: () => T): Parsed<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof CorruptField) return { ok: false, reason: error.message };
    throw error;
  }
}

// Reads a JSON column, optionally checking its shape; SQL NULL reads as null when `nullable`.
export function jsonColumn<T = unknown>(
  row: Record<string, unknown>,
  column: string,
  check?: { is: (value: unknown) => value is T; expected: string },
  nullable = false,
): T {
  if (nullable && row[column] === null) return null as T;
  const parsed = parseJson(row[column]);
  if (!parsed.ok) throw new CorruptField(`${column}: ${parsed.reason}`);
  if (check && !check.is(parsed.value)) throw new CorruptField(`${column}: expected ${check.expected}`);
  return parsed.value as T;
}

// Reads a column that must hold a string (or, when `nullable`, NULL).
export function textColumn(row: Record<string, unknown>, column: string, nullable: true): string | null;
export function textColumn(row: Record<string, unknown>, column: string, nullable?: false): string;
export function textColumn(row: Record<string, unknown>, column: string, nullable = false): string | null {
  const value = row[column];
  if (typeof value === 'string' || (nullable && value === null)) return value;
  throw new CorruptField(`${column}: expected text`);
}

// Reads a column that must hold a number (or, when `nullable`, NULL).
export function numberColumn(row: Record<string, unknown>, column: string, nullable: true): number | null;
export function numberColumn(row: Record<string, unknown>, column: string, nullable?: false): number;
export function numberColumn(row: Record<string, unknown>, column: string, nullable = false): number | null {
  const value = row[column];
  if (typeof value === 'number' || (nullable && value === null)) return value;
  throw new CorruptField(`${column}: expected a number`);
}

// Reads a text column that must be one of `allowed` (agent names, roles).
export function choiceColumn<T extends string>(row: Record<string, unknown>, column: string, allowed: readonly T[], nullable: true): T | null;
export function choiceColumn<T extends string>(row: Record<string, unknown>, column: string, allowed: readonly T[], nullable?: false): T;
export function choiceColumn<T extends string>(row: Record<string, unknown>, column: string, allowed: readonly T[], nullable = false): T | null {
  const value = row[column];
  if (nullable && value === null) return null;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new CorruptField(`${column}: unknown value ${String(value)}`);
}
