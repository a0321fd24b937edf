import { randomBytes, randomUUID } from 'node:crypto';

// A random UUID (v4), the shape of Claude and Gemini session ids.
export function uuid(): string {
  return randomUUID();
}

// A UUIDv7 (time-ordered), the shape of Codex thread ids.
export function uuidV7(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// True when the text is a UUID of any version.
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}
