/** A line longer than the framer's cap, reported instead of the line itself. */
export interface OversizedLine {
  /** Size of the whole line in bytes, without its line ending. */
  bytes: number;
  /** The line's first bytes (at most 200), decoded as UTF-8 and cut at a character boundary. */
  preview: string;
}

/** Where the framer delivers what it splits out of a byte stream. */
export interface LineFramerOptions {
  /** Lines with more bytes than this are dropped and reported through onOversized. */
  maxLineBytes: number;
  /** One complete line, without `\n` or a trailing `\r`. Must not throw. */
  onLine(line: string): void;
  /** Called once per oversized line, when its newline (or the end of the stream) arrives. */
  onOversized(info: OversizedLine): void;
}

/** A push-based splitter of a byte stream into UTF-8 lines. */
export interface LineFramer {
  push(chunk: Buffer): void;
  /** Flushes a last line that has no newline. */
  end(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const PREVIEW_BYTES = 200;
const EMPTY = Buffer.alloc(0);

// Creates a framer that splits on \n, works on bytes (so characters split across chunks survive)
// and never holds more than maxLineBytes of one line: past that it keeps only a preview and a count.
export function createLineFramer(options: LineFramerOptions): LineFramer {
  const { maxLineBytes, onLine, onOversized } = options;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }
  let parts: Buffer[] = [];
  let pendingBytes = 0;
  // Once the pending line is over the cap its bytes are counted, not kept.
  let dropping = false;
  let preview: Buffer = EMPTY;
  let droppedEndsWithCR = false;

  const emit = (buf: Buffer, start: number, end: number): void => {
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start > maxLineBytes) onOversized({ bytes: end - start, preview: decodePreview(buf.subarray(start, end)) });
    else onLine(buf.toString('utf8', start, end));
  };

  const finishPending = (last: Buffer): void => {
    if (dropping) {
      const endsWithCR = last.length > 0 ? last[last.length - 1] === CR : droppedEndsWithCR;
      onOversized({ bytes: pendingBytes + last.length - (endsWithCR ? 1 : 0), preview: decodePreview(preview) });
    } else {
      const line = parts.length === 0 ? last : Buffer.concat([...parts, last]);
      emit(line, 0, line.length);
    }
    parts = [];
    pendingBytes = 0;
    dropping = false;
    preview = EMPTY;
  };

  const keep = (rest: Buffer): void => {
    pendingBytes += rest.length;
    if (dropping) {
      droppedEndsWithCR = rest[rest.length - 1] === CR;
      return;
    }
    parts.push(rest);
    // +1 leaves room for the \r of a CRLF line that is exactly at the cap.
    if (pendingBytes > maxLineBytes + 1) {
      preview = Buffer.concat(parts, Math.min(PREVIEW_BYTES, pendingBytes));
      parts = [];
      dropping = true;
      droppedEndsWithCR = rest[rest.length - 1] === CR;
    }
  };

  return {
    push(chunk) {
      let start = 0;
      let newline = chunk.indexOf(LF);
      while (newline !== -1) {
        // Fast path: a line wholly inside this chunk is decoded in place, without copying.
        if (pendingBytes === 0) emit(chunk, start, newline);
        else finishPending(chunk.subarray(start, newline));
        start = newline + 1;
        newline = chunk.indexOf(LF, start);
      }
      if (start < chunk.length) keep(chunk.subarray(start));
    },
    end() {
      if (pendingBytes > 0) finishPending(EMPTY);
    },
  };
}

// Decodes at most PREVIEW_BYTES, stepping back so a multi-byte character is never cut in half.
function decodePreview(buf: Buffer): string {
  let end = Math.min(buf.length, PREVIEW_BYTES);
  if (end < buf.length) {
    let lead = end - 1;
    while (lead > 0 && end - lead < 4 && ((buf[lead] ?? 0) & 0xc0) === 0x80) lead--;
    const byte = buf[lead] ?? 0;
    const width = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (lead + width > end) end = lead;
  }
  return buf.toString('utf8', 0, end);
}
