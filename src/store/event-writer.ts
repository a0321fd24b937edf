import type { LogEntry } from '../domain/index.js';
import type { Db } from './database.js';
import { EntryQueue } from './entry-queue.js';
import { classifyWriteError, sqliteCode } from './errors.js';

/**
 * The one statement that writes events. ON CONFLICT on the key, not INSERT OR IGNORE: OR IGNORE
 * would also silently skip rows that break NOT NULL, whereas only a re-write of a stored seq is harmless.
 */
export const INSERT_EVENT_SQL =
  'INSERT INTO events (session_id, seq, ts, worker_id, type, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, seq) DO NOTHING';

/** What went wrong, for onError: lock contention, a queue over maxPending, a throwing callback, or anything else. */
export type WriterErrorKind = 'busy' | 'backlog' | 'callback' | 'other';

/** Batching limits, retry delays and the hooks the session wires to intake, broadcast and logging. */
export interface EventWriterOptions {
  /** Longest wait between the first queued entry and its batch's commit. */
  flushIntervalMs?: number;
  /** Most entries per transaction; a full batch is written at once. */
  maxBatch?: number;
  /** Queue length above which onError('backlog') is reported. Nothing is ever dropped: memory is the price. */
  maxPending?: number;
  /** First retry delay after a busy or unknown error; it doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How often a writer paused by a full disk or an I/O error tries again. */
  storageRetryMs?: number;
  /** The store cannot take writes (disk full, I/O error): stop taking in agent output. Called once per outage. */
  onIntakePaused?(reason: string): void;
  /** A write succeeded again after onIntakePaused. */
  onIntakeResumed?(): void;
  /**
   * Called after each commit with the batch in append order; broadcast only from here. Entries whose
   * seq was already stored are included (they are durable too); `inserted` counts the new rows.
   */
  onCommitted?(entries: readonly LogEntry[], info: { inserted: number }): void;
  /** Every failed attempt but storage faults (those go to onIntakePaused); the batch is kept and retried. */
  onError?(error: unknown, kind: WriterErrorKind): void;
}

/** Batches LogEntry appends into IMMEDIATE transactions, in order, losing none. */
export interface EventWriter {
  /** Queues one entry; throws at once if it has no valid stamp or cannot be stored as JSON. */
  append(entry: LogEntry): void;
  /** Resolves once everything appended so far is committed (it waits out a full disk). */
  flush(): Promise<void>;
  /** Refuses further appends, then flushes. The database stays open: it belongs to the caller. */
  close(): Promise<void>;
  readonly pending: number;
  /** True while a full disk or an I/O error holds writes back. */
  readonly paused: boolean;
}

/** Longest run of back-to-back batches before the writer yields to the event loop. */
const DRAIN_SLICE_MS = 10;

interface Queued {
  entry: LogEntry;
  body: string;
}

// Creates the event writer for `db`. Only its timers write, so append never blocks on the disk.
export function createEventWriter(db: Db, options: EventWriterOptions = {}): EventWriter {
  const flushIntervalMs = options.flushIntervalMs ?? 25;
  const maxBatch = Math.max(1, options.maxBatch ?? 512);
  const maxPending = options.maxPending ?? 100_000;
  const retryMs = options.retryMs ?? 10;
  const maxRetryMs = options.maxRetryMs ?? 2000;
  const storageRetryMs = options.storageRetryMs ?? 500;
  const insert = db.prepare(INSERT_EVENT_SQL);
  const insertBatch = db.transaction((batch: readonly Queued[]): number => {
    let inserted = 0;
    for (const { entry, body } of batch) inserted += insert.run(entry.sessionId, entry.seq, entry.ts, entry.workerId, entry.type, body).changes;
    return inserted;
  });

  const queue = new EntryQueue<Queued>();
  const waiters: { target: number; resolve: () => void }[] = [];
  let appended = 0;
  let committed = 0;
  let failures = 0;
  let paused = false;
  let backlogReported = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Infinity;

  const call = <A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void => {
    try {
      fn?.(...args);
    } catch (error) {
      report(error, 'callback');
    }
  };
  const report = (error: unknown, kind: WriterErrorKind): void => {
    try {
      if (options.onError) options.onError(error, kind);
      else process.emitWarning(`event writer (${kind}): ${error instanceof Error ? error.message : String(error)}`);
    } catch {
      // A throwing error handler must not stop the writer; there is nowhere left to report it.
    }
  };

  // Keeps the earliest pending wake-up: appends must not push a due write further away.
  const schedule = (delayMs: number): void => {
    const due = Date.now() + delayMs;
    if (timer !== undefined && timerDue <= due) return;
    if (timer !== undefined) clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(drain, delayMs);
  };

  // Writes batches until the queue is empty, a write fails, or the time slice is used up; then
  // yields, so a producer faster than one batch per tick cannot outrun the writer, and a long
  // backlog cannot stall the event loop either.
  function drain(): void {
    timer = undefined;
    timerDue = Infinity;
    const started = Date.now();
    while (queue.length > 0 && writeBatch()) {
      if (queue.length > 0 && Date.now() - started >= DRAIN_SLICE_MS) {
        schedule(0);
        return;
      }
    }
  }

  function writeBatch(): boolean {
    const batch = queue.peek(maxBatch);
    let inserted: number;
    try {
      inserted = insertBatch.immediate(batch);
    } catch (error) {
      // The transaction was rolled back (by us or by SQLite itself); the batch stays at the head.
      onFault(error);
      return false;
    }
    queue.drop(batch.length);
    committed += batch.length;
    failures = 0;
    if (queue.length <= maxPending) backlogReported = false;
    if (paused) {
      paused = false;
      call(options.onIntakeResumed);
    }
    call(options.onCommitted, batch.map((queued) => queued.entry), { inserted });
    while (waiters.length > 0 && waiters[0]!.target <= committed) waiters.shift()!.resolve();
    return true;
  }

  function onFault(error: unknown): void {
    failures += 1;
    const fault = classifyWriteError(error);
    if (fault === 'storage') {
      if (!paused) {
        paused = true;
        call(options.onIntakePaused, describeStorageFault(error));
      }
      schedule(storageRetryMs);
      return;
    }
    report(error, fault);
    schedule(Math.min(retryMs * 2 ** Math.min(failures - 1, 20), maxRetryMs));
  }

  function flush(): Promise<void> {
    if (committed >= appended) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push({ target: appended, resolve }));
    if (failures === 0) schedule(0);
    return done;
  }

  return {
    append(entry) {
      if (closed) throw new Error('event writer is closed');
      queue.push({ entry, body: serialize(entry) });
      appended += 1;
      if (queue.length > maxPending && !backlogReported) {
        backlogReported = true;
        report(new Error(`${queue.length} events wait to be written (maxPending ${maxPending}); all are kept in memory`), 'backlog');
      }
      // While a fault is being retried the retry timer is already set; do not hammer the database.
      if (failures === 0) schedule(queue.length >= maxBatch ? 0 : flushIntervalMs);
    },
    flush,
    close() {
      closed = true;
      return flush();
    },
    get pending() {
      return queue.length;
    },
    get paused() {
      return paused;
    },
  };
}

// Checks the stamp and serializes once, at append time, so a bad entry fails its caller instead of
// poisoning a batch that would then be retried forever.
function serialize(entry: LogEntry): string {
  const problem = stampProblem(entry);
  if (problem) throw new TypeError(`cannot store event: ${problem}`);
  try {
    return JSON.stringify(entry);
  } catch (error) {
    throw new TypeError(`cannot store event ${entry.sessionId}#${entry.seq} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stampProblem(entry: LogEntry): string | undefined {
  const raw = entry as Partial<Record<keyof LogEntry, unknown>>;
  if (typeof raw.sessionId !== 'string') return 'sessionId is not a string';
  if (typeof raw.workerId !== 'string') return 'workerId is not a string';
  if (typeof raw.type !== 'string') return 'type is not a string';
  if (!Number.isSafeInteger(raw.seq) || (raw.seq as number) < 0) return 'seq is not a non-negative integer';
  if (typeof raw.ts !== 'number' || !Number.isFinite(raw.ts)) return 'ts is not a finite number';
  return undefined;
}

function describeStorageFault(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return sqliteCode(error) === 'SQLITE_FULL' ? `disk full: ${message}` : `storage I/O error: ${message}`;
}
