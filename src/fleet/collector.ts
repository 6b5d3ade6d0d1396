import { connect, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { EventRow } from '../store/event-row.js';
import type { AppendResult, Store } from '../store/store.js';
import { decodeEventBatch } from './decode-event-batch.js';
import { ensureConsumer } from './ensure-consumer.js';
import { ensureStream } from './ensure-stream.js';
import { natsConnectOptions, redactNatsUrl, type FleetConfig } from './nats-connect-options.js';

export interface CollectorOptions {
  fleet: FleetConfig;
  store: Store;
  logger: Logger;
  /** Shown as the NATS client name. */
  name?: string;
  /** How often to log progress; 0: never. */
  statsIntervalMs?: number;
}

export interface CollectorStats {
  messages: number;
  /** Rows handed to the store. */
  events: number;
  inserted: number;
  /** Rows already stored (redeliveries, replays). */
  duplicates: number;
  batches: number;
  /** Appends that failed; their messages were handed back for redelivery. */
  failures: number;
  malformed: number;
}

interface Batch {
  messages: JsMsg[];
  rows: EventRow[];
}

const NAK_DELAY_MS = 1000;
/** Appends running at once per collector: one committing while the next is encoded and sent. */
const MAX_APPENDS = 2;

/**
 * Moves fleet events from JetStream into the store: pulls from the shared
 * durable consumer, appends up to `batchEvents` rows (or what arrived in
 * `batchWaitMs`) in one call, and acks the messages only after the append
 * committed. The append is idempotent by event identity, so a message
 * redelivered after a crash adds nothing. Backpressure: at most two appends
 * run while the next batch fills; the loop stops pulling when that batch is
 * full too, and the server stops delivering at `maxAckPending` unacked messages.
 */
export class Collector {
  readonly #options: CollectorOptions;
  readonly #nc: NatsConnection;
  readonly #messages: ConsumerMessages;
  readonly #stats: CollectorStats = { messages: 0, events: 0, inserted: 0, duplicates: 0, batches: 0, failures: 0, malformed: 0 };
  #batch: Batch = { messages: [], rows: [] };
  #timer: NodeJS.Timeout | undefined;
  /** Every commit so far. */
  #committing: Promise<void> = Promise.resolve();
  /** The latest MAX_APPENDS commits, oldest first. */
  #recent: Array<Promise<void>> = [];
  readonly #loop: Promise<void>;
  readonly #statsTimer: NodeJS.Timeout | undefined;

  private constructor(options: CollectorOptions, nc: NatsConnection, messages: ConsumerMessages) {
    this.#options = options;
    this.#nc = nc;
    this.#messages = messages;
    this.#loop = this.#run();
    const every = options.statsIntervalMs ?? 0;
    if (every > 0) {
      let last = { ...this.#stats };
      this.#statsTimer = setInterval(() => {
        const now = { ...this.#stats };
        options.logger.info({ ...now, eventsPerSecond: Math.round(((now.events - last.events) * 1000) / every) }, 'collector progress');
        last = now;
      }, every);
      this.#statsTimer.unref();
    }
  }

  /** Connects (waiting for the broker if it is away), ensures the stream and consumer, and starts pulling. */
  static async start(options: CollectorOptions): Promise<Collector> {
    const { fleet, logger } = options;
    const nc = await connect(natsConnectOptions(fleet, options.name ?? 'honeyscope-collector'));
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, fleet);
      await ensureConsumer(jsm, fleet);
      const consumer = await nc.jetstream().consumers.get(fleet.stream, fleet.consumer);
      const messages = await consumer.consume({ max_messages: Math.min(fleet.maxAckPending, 64) });
      logger.info({ servers: redactNatsUrl(fleet.url), stream: fleet.stream, consumer: fleet.consumer }, 'collector started');
      return new Collector(options, nc, messages);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  stats(): CollectorStats {
    return { ...this.#stats };
  }

  /** Stops pulling, stores and acks what was received, and disconnects. */
  async close(): Promise<void> {
    clearInterval(this.#statsTimer);
    await this.#messages.close();
    await this.#loop;
    await this.#flush();
    await this.#nc.close();
  }

  async #run(): Promise<void> {
    try {
      for await (const m of this.#messages) {
        this.#add(m);
        if (this.#batch.rows.length >= this.#options.fleet.batchEvents) {
          const previous = this.#committing;
          void this.#flush();
          await previous;
        } else {
          this.#timer ??= setTimeout(() => void this.#flush(), this.#options.fleet.batchWaitMs);
        }
      }
    } catch (err) {
      this.#options.logger.error({ err: errorMessage(err) }, 'collector stopped pulling');
    }
  }

  #add(m: JsMsg): void {
    const decoded = decodeEventBatch(m.data);
    this.#stats.messages += 1;
    if (decoded.malformed > 0) {
      this.#stats.malformed += decoded.malformed;
      this.#options.logger.warn({ subject: m.subject, seq: m.seq, malformed: decoded.malformed, first: decoded.firstError }, 'fleet message has lines that are not events; they are skipped');
    }
    this.#batch.messages.push(m);
    for (const row of decoded.rows) this.#batch.rows.push(row);
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { messages, rows } = this.#batch;
    if (messages.length > 0) {
      this.#batch = { messages: [], rows: [] };
      // The append starts as soon as fewer than MAX_APPENDS run, not after the previous commit: the store
      // encodes the rows before it waits, so they die young instead of aging in the heap (less GC per event).
      const slot = this.#recent.length < MAX_APPENDS ? Promise.resolve() : this.#recent[0]!;
      const commit = slot.then(() => this.#commit(messages, rows.length, appendNow(this.#options.store, rows)));
      this.#recent = [...this.#recent, commit].slice(-MAX_APPENDS);
      this.#committing = Promise.all([this.#committing, commit]).then(() => undefined);
    }
    return this.#committing;
  }

  async #commit(messages: JsMsg[], events: number, appended: Promise<AppendResult>): Promise<void> {
    try {
      const result = await appended;
      this.#stats.events += events;
      this.#stats.inserted += result.inserted;
      this.#stats.duplicates += result.duplicates;
      this.#stats.batches += 1;
    } catch (err) {
      this.#stats.failures += 1;
      if (this.#stats.failures === 1 || this.#stats.failures % 100 === 0) {
        this.#options.logger.error({ failures: this.#stats.failures, rows: events, err: errorMessage(err) }, 'collector append failed; messages will be redelivered');
      }
      for (const m of messages) m.nak(NAK_DELAY_MS);
      return;
    }
    for (const m of messages) m.ack();
  }
}

/** Store.append, a synchronous throw turned into a rejection like any other failed append. */
function appendNow(store: Store, rows: EventRow[]): Promise<AppendResult> {
  try {
    return store.append(rows);
  } catch (err) {
    return Promise.reject(err);
  }
}
