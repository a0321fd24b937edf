/** A plain JSON copy of a value, clipped to a size. */
export interface ClippedJson {
  /** The copy (undefined when the value has no JSON form). */
  value: unknown;
  /** Its JSON text, for comparing copies cheaply. */
  json: string;
  /** True when something was cut to fit. */
  clipped: boolean;
}

/** Ever harsher limits: longest string kept, and most items of a list. */
const PASSES = [
  { chars: 240, items: 20 },
  { chars: 60, items: 5 },
];

// Copies a value as JSON within about maxChars: whole when it fits, else with long strings and
// lists cut (saying how much was cut), else as its top-level keys with the size of each. A value
// that cannot be serialized (a cycle, a throwing toJSON) becomes a note saying so.
export function clipJson(value: unknown, maxChars: number): ClippedJson {
  const whole = stringify(value);
  if (whole === undefined) return { value: undefined, json: '', clipped: false };
  if (whole.length <= maxChars) return { value: JSON.parse(whole) as unknown, json: whole, clipped: false };
  for (const limits of PASSES) {
    const json = stringify(value, clipper(limits.chars, limits.items));
    if (json !== undefined && json.length <= maxChars) return { value: JSON.parse(json) as unknown, json, clipped: true };
  }
  const outline = outlineOf(JSON.parse(whole) as unknown);
  const json = JSON.stringify(outline);
  return { value: outline, json, clipped: true };
}

function stringify(value: unknown, replacer?: (key: string, value: unknown) => unknown): string | undefined {
  try {
    return JSON.stringify(value, replacer);
  } catch (error) {
    return JSON.stringify(`(not serializable: ${error instanceof Error ? error.message : String(error)})`);
  }
}

function clipper(chars: number, items: number) {
  return (_key: string, value: unknown): unknown => {
    if (typeof value === 'string' && value.length > chars) return `${value.slice(0, chars)}… (${value.length - chars} more chars)`;
    if (Array.isArray(value) && value.length > items) return [...value.slice(0, items), `… (${value.length - items} more items)`];
    return value;
  };
}

// The top level of a value with each member replaced by what it is and how large.
function outlineOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return `(${JSON.stringify(value).length} chars)`;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, `(${kindOf(member)}, ${JSON.stringify(member)?.length ?? 0} chars)`]));
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  return value === null ? 'null' : typeof value;
}
