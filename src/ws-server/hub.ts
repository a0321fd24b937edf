import type { LogEntry } from '../domain/index.js';
import type { BatchItem, InspectionRecord, ServerMessageOf } from '../protocol/index.js';

/** A live batch, encoded once: every client is sent this very Buffer. */
export interface EncodedBatch {
  data: Buffer;
  fromSeq: number;
  toSeq: number;
  items: number;
}

/** A subscriber of live batches; it decides per batch whether it can take it. */
export interface HubClient {
  deliver(batch: EncodedBatch): void;
}

/** Where live batches start and when they are flushed. */
export interface HubOptions {
  /** The last seq already committed when the hub starts: live batches begin after it. */
  startSeq: number;
  /** Longest wait between the first buffered item and its batch. */
  flushMs: number;
  /** A batch is flushed at once when it holds this many items. */
  maxItems: number;
  onFlush?(batch: EncodedBatch): void;
}

/** The server's single batching hub. */
export type Hub = ReturnType<typeof createHub>;

// The single hub between the session and every client: collects committed entries and inspection
// records and flushes them at `flushMs` or `maxItems`, whichever comes first, encoding each batch
// once. Unbatched fan-out costs about 8 µs per message per client (research/xstate.md).
export function createHub(options: HubOptions) {
  const clients = new Set<HubClient>();
  let items: BatchItem[] = [];
  let receivedSeq = options.startSeq;
  let flushedSeq = options.startSeq;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (items.length === 0) return;
    const message: ServerMessageOf<'batch'> = { type: 'batch', fromSeq: flushedSeq + 1, toSeq: receivedSeq, items };
    const count = items.length;
    items = [];
    flushedSeq = receivedSeq;
    // Nobody to send to: skip the encoding, the entries stay readable from the store.
    if (clients.size === 0) return;
    const batch: EncodedBatch = { data: Buffer.from(JSON.stringify(message)), fromSeq: message.fromSeq, toSeq: message.toSeq, items: count };
    options.onFlush?.(batch);
    for (const client of clients) client.deliver(batch);
  };
  const push = (item: BatchItem) => {
    items.push(item);
    if (items.length >= options.maxItems) flush();
    else timer ??= setTimeout(flush, options.flushMs);
  };

  return {
    /** The last seq handed to clients (or skipped with none connected): a catching-up client reads the store up to here. */
    get flushedSeq() {
      return flushedSeq;
    },
    addEntry(entry: LogEntry): void {
      // The log hands each committed entry once and in order; this guards the seam against a repeat.
      if (entry.seq <= receivedSeq) return;
      receivedSeq = entry.seq;
      push({ kind: 'log', entry });
    },
    addInspection(record: InspectionRecord): void {
      push(record);
    },
    /** Sends what is buffered now (a new subscriber needs flushedSeq to cover every committed entry). */
    flush,
    add(client: HubClient): void {
      clients.add(client);
    },
    remove(client: HubClient): void {
      clients.delete(client);
    },
    /** Delivers what is still buffered (the session's last events), then lets every client go. */
    close(): void {
      flush();
      clearTimeout(timer);
      timer = undefined;
      items = [];
      clients.clear();
    },
  };
}
