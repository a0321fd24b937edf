/*
 * mvdan-sh is mvdan/sh's Go parser compiled to JavaScript by GopherJS. Its public wrappers
 * convert every field on every access (10-25 µs each, milliseconds per command), so the syntax
 * tree is read from the Go values underneath: a struct pointer is an object whose constructor
 * names its type, a slice is {$array, $offset, $length}, a string holds one UTF-8 byte per char.
 * The package is pinned to one version and checked when it loads (mvdan-library.ts).
 */

/** A Go struct pointer as GopherJS keeps it; fields are the Go field names. */
export type GoNode = Record<string, unknown>;

interface GoType {
  string?: unknown;
  nil?: unknown;
}

// The node's Go type without the package (`CallExpr`), or undefined for a nil pointer or interface.
export function getNodeType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { constructor?: GoType }).constructor;
  if (!type || typeof type.string !== 'string' || type.nil === value) return undefined;
  return type.string.startsWith('*syntax.') ? type.string.slice('*syntax.'.length) : type.string;
}

// The elements of a Go slice.
export function getItems(slice: unknown): GoNode[] {
  if (typeof slice !== 'object' || slice === null) return [];
  const { $array, $offset, $length } = slice as { $array?: unknown; $offset?: unknown; $length?: unknown };
  if (!Array.isArray($array) || typeof $offset !== 'number' || typeof $length !== 'number') return [];
  return $array.slice($offset, $offset + $length) as GoNode[];
}

// A Go string as a JavaScript string.
export function getString(value: unknown): string {
  if (typeof value !== 'string') return '';
  return /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
}

// A field holding a struct pointer, or undefined when nil.
export function getNode(parent: GoNode, field: string): GoNode | undefined {
  const value = parent[field];
  return getNodeType(value) === undefined ? undefined : (value as GoNode);
}
