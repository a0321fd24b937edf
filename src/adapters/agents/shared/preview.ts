/** How many characters of a line or a tool output travel in an event; the rest stays in the vendor's own logs. */
export const PREVIEW_CHARS = 2000;

const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

// Cuts text to at most `max` characters, marking the cut with an ellipsis and never splitting a surrogate pair.
export function previewText(text: string, max = PREVIEW_CHARS): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

// Removes terminal colour codes: Gemini prints some errors in red even when stderr is not a TTY.
export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}

// The UTF-8 size of a line, as the line framer counts it.
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
