import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

const TAIL_BYTES = 8 * 1024;

/** A child's stderr on its way to a log file, with its last bytes kept for error classification. */
export interface StderrSink {
  attach(stream: Readable): void;
  /** Flushes and closes the log; resolves with the tail (the last ~8 KB, decoded). */
  close(): Promise<string>;
}

// Creates the log (and its parent directories) and keeps the tail in memory. A log that cannot be
// written only loses the file: the tail is still kept and the child's stderr still drained.
export function createStderrSink(logPath: string): StderrSink {
  let tail: Buffer = Buffer.alloc(0);
  let truncated = false;
  let source: Readable | undefined;
  try {
    mkdirSync(dirname(logPath), { recursive: true });
  } catch {
    // The open below fails as well and is handled by the 'error' listener.
  }
  const log = createWriteStream(logPath, { flags: 'a' });
  const closed = new Promise<void>((resolve) => log.once('close', resolve));
  let writable = true;
  log.on('error', () => {
    writable = false;
    source?.resume();
  });

  return {
    attach(stream) {
      source = stream;
      stream.on('data', (chunk: Buffer) => {
        truncated ||= tail.length + chunk.length > TAIL_BYTES;
        tail = appendTail(tail, chunk);
        // Pause the child's stderr while the disk catches up, so a flood cannot fill our memory.
        if (writable && !log.write(chunk)) {
          stream.pause();
          log.once('drain', () => stream.resume());
        }
      });
    },
    async close() {
      if (!log.destroyed) log.end();
      await closed;
      return decodeTail(tail, truncated);
    },
  };
}

function appendTail(tail: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= TAIL_BYTES) return Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES));
  const joined = Buffer.concat([tail, chunk]);
  return joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
}

// A cut tail may start inside a multi-byte character: skip its continuation bytes.
function decodeTail(tail: Buffer, truncated: boolean): string {
  let start = 0;
  while (truncated && start < 3 && ((tail[start] ?? 0) & 0xc0) === 0x80) start++;
  return tail.toString('utf8', start);
}
