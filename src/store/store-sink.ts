import type { HoneyscopeEvent } from '../events/event.js';
import type { Sink } from '../events/sink.js';
import { toCowrieJson } from '../events/to-cowrie-json.js';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { toEventRow, type EventRow } from './event-row.js';
import type { Store } from './store.js';

export interface StoreSinkOptions {
  logger: Logger;
  /** Rows per append. */
  batchSize?: number;
  /** Longest time an event waits in the buffer. */
  flushMs?: number;
  /** Rows kept while the store fails; beyond this the oldest are dropped (the JSONL log still has them). */
  maxBuffered?: number;
}

/**
 * Puts the sensor's events into the store in batches. `write` only buffers,
 * so a slow store never delays a session; the JSONL log stays the durable
 * record, and `honeyscope ingest` of that log fills any gap without duplicates
 * (same event identity).
 */
export class StoreSink implements Sink {
  readonly name = 'store';
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #flushMs: number;
  readonly #maxBuffered: number;
  #buffer: EventRow[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #failures = 0;
  #dropped = 0;
  #taken = 0;

  constructor(store: Store, options: StoreSinkOptions) {
    this.#store = store;
    this.#logger = options.logger;
    this.#batchSize = options.batchSize ?? 1000;
    this.#flushMs = options.flushMs ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
  }

  write(event: HoneyscopeEvent): void {
    this.#taken += 1;
    this.#buffer.push(toEventRow(event, toCowrieJson(event)));
    if (this.#buffer.length > this.#maxBuffered) {
      this.#dropped += this.#buffer.length - this.#maxBuffered;
      this.#buffer.splice(0, this.#buffer.length - this.#maxBuffered);
    }
    if (this.#buffer.length >= this.#batchSize) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /** Appends everything buffered so far; resolves when it is stored (or the failure logged). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushing = this.#flushing.then(() => this.#flushNow());
    return this.#flushing;
  }

  async #flushNow(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const rows = this.#buffer;
    this.#buffer = [];
    try {
      await this.#store.append(rows);
    } catch (err) {
      this.#buffer = rows.concat(this.#buffer);
      this.#failures += 1;
      if (this.#failures === 1 || this.#failures % 100 === 0) {
        this.#logger.error({ failures: this.#failures, buffered: this.#buffer.length, err: errorMessage(err) }, 'store sink append failed');
      }
      this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
    }
  }

  /** Events taken so far, stored or still buffered (the dashboard's cache follows it). */
  get taken(): number {
    return this.#taken;
  }

  /** Counters for diagnostics. */
  stats(): { failures: number; dropped: number; buffered: number } {
    return { failures: this.#failures, dropped: this.#dropped, buffered: this.#buffer.length };
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dropped > 0) this.#logger.warn({ dropped: this.#dropped }, 'store sink dropped events while the store failed');
  }
}
