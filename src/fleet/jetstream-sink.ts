import { hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, Events, type JetStreamClient, type NatsConnection } from 'nats';
import type { HoneyscopeEvent } from '../events/event.js';
import type { Sink } from '../events/sink.js';
import { toCowrieJson } from '../events/to-cowrie-json.js';
import { HoneyscopeError, errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { DiskSpool } from './disk-spool.js';
import { ensureStream } from './ensure-stream.js';
import { natsConnectOptions, redactNatsUrl, sensorSubject, type FleetConfig } from './nats-connect-options.js';

export interface JetStreamSinkOptions {
  fleet: FleetConfig;
  /** The sensor's name; its events go to `<subjectPrefix>.<sensor>`. */
  sensor: string;
  /** DATA/spool */
  spoolDir: string;
  logger: Logger;
}

export interface JetStreamSinkStats {
  connected: boolean;
  /** Events acknowledged by JetStream on the first try. */
  published: number;
  /** Events written to the spool because the broker was away (or the spool was still replaying). */
  spooled: number;
  /** Spooled batches since published. */
  replayed: number;
  spoolBytes: number;
}

/** Events that go out as one message; their writes share one promise (no promise per event). */
interface Batch {
  lines: string[];
  bytes: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A batch sent; its lines are dropped (the payload has them), so they die young instead of living until the ack. */
interface InFlight {
  events: number;
  payload: Buffer;
  published: Promise<boolean>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const RETRY_MS = 500;
/** Batches (of up to maxBatchBytes) awaiting JetStream's ack at once, per sensor. */
const MAX_IN_FLIGHT = 8;

/**
 * Publishes the sensor's events to JetStream. Events waiting together go out
 * as one message of Cowrie JSON lines (group commit, like the JSONL log), and
 * `write` resolves when JetStream acknowledged that message or, while the
 * broker is away, when it is fsynced to the disk spool. Spooled batches are
 * replayed oldest first once the broker is back; until the spool is empty new
 * batches join it, so the stream keeps the sensor's order.
 */
export class JetStreamSink implements Sink {
  readonly name = 'fleet';
  readonly #options: JetStreamSinkOptions;
  readonly #spool: DiskSpool;
  readonly #subject: string;
  readonly #stats = { published: 0, spooled: 0, replayed: 0 };
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #ready = false;
  #closed = false;
  /** Batches not yet sent, oldest first; the last one takes new events. */
  #batches: Batch[] = [];
  #draining: Promise<void> | undefined;
  #replaying: Promise<void> | undefined;
  #replayAgain = false;
  #publishFailures = 0;

  private constructor(options: JetStreamSinkOptions, spool: DiskSpool) {
    this.#options = options;
    this.#spool = spool;
    this.#subject = sensorSubject(options.fleet.subjectPrefix, options.sensor);
  }

  /** Opens the spool and connects in the background: events are spooled until the broker answers. */
  static async open(options: JetStreamSinkOptions): Promise<JetStreamSink> {
    const connectOptions = natsConnectOptions(options.fleet, `honeyscope-sensor ${options.sensor}`);
    const spool = await DiskSpool.open({ dir: options.spoolDir, maxBytes: options.fleet.spoolMaxBytes, segmentBytes: options.fleet.spoolSegmentBytes, logger: options.logger });
    const sink = new JetStreamSink(options, spool);
    options.logger.info({ servers: redactNatsUrl(options.fleet.url), subject: sink.#subject, spooledBytes: spool.bytes }, 'fleet publisher starting');
    void sink.#connect(connectOptions);
    return sink;
  }

  get subject(): string {
    return this.#subject;
  }

  stats(): JetStreamSinkStats {
    return { connected: this.#ready, ...this.#stats, spoolBytes: this.#spool.bytes };
  }

  write(event: HoneyscopeEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new HoneyscopeError('HS_FLEET', `Cannot publish to "${this.#subject}": the fleet publisher is closed`));
    const line = `${toCowrieJson(event)}\n`;
    let batch = this.#batches.at(-1);
    // Cowrie JSON is ASCII (non-ASCII is \u-escaped), so characters are bytes.
    if (batch === undefined || batch.bytes + line.length > this.#options.fleet.maxBatchBytes) {
      batch = newBatch();
      this.#batches.push(batch);
    }
    batch.lines.push(line);
    batch.bytes += line.length;
    this.#draining ??= this.#drain();
    return batch.done;
  }

  /** Resolves once every event written so far is acknowledged or spooled. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#ready = false;
    await this.#replaying;
    await this.#spool.close();
    await this.#nc?.close();
  }

  async #connect(connectOptions: Parameters<typeof connect>[0]): Promise<void> {
    let nc: NatsConnection | undefined;
    // Our own first-connect loop rather than nats.js waitOnFirstConnect, which cannot be cancelled by close().
    for (let attempt = 1; nc === undefined; attempt += 1) {
      try {
        nc = await connect({ ...connectOptions, waitOnFirstConnect: false });
      } catch (err) {
        if (this.#closed) return;
        if (attempt === 1 || attempt % 100 === 0) {
          this.#options.logger.warn({ servers: redactNatsUrl(this.#options.fleet.url), attempt, err: errorMessage(err) }, 'cannot connect to the fleet broker; spooling events meanwhile');
        }
        await sleep(RETRY_MS);
        if (this.#closed) return;
      }
    }
    if (this.#closed) {
      await nc.close();
      return;
    }
    this.#nc = nc;
    this.#js = nc.jetstream();
    void this.#watch(nc);
    await this.#becomeReady(nc);
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        this.#ready = false;
        this.#options.logger.warn({ subject: this.#subject }, 'fleet broker disconnected; spooling events');
      } else if (status.type === Events.Reconnect) {
        this.#options.logger.info({ subject: this.#subject }, 'fleet broker reconnected');
        void this.#becomeReady(nc);
      }
    }
  }

  async #becomeReady(nc: NatsConnection): Promise<void> {
    while (!this.#closed && !nc.isClosed()) {
      try {
        await ensureStream(await nc.jetstreamManager(), this.#options.fleet);
        this.#ready = true;
        this.#kickReplay();
        return;
      } catch (err) {
        this.#options.logger.warn({ stream: this.#options.fleet.stream, err: errorMessage(err) }, 'cannot check the fleet stream; retrying');
        await sleep(RETRY_MS);
      }
    }
  }

  async #drain(): Promise<void> {
    // Let every event dispatched in this tick (or within the linger) join the batch.
    const linger = this.#options.fleet.lingerMs;
    await new Promise((r) => (linger > 0 ? setTimeout(r, linger) : setImmediate(r)));
    // Several batches await their acks at once (one round trip per batch would cap the rate at
    // batch size / latency); they are settled in order, so the spool still receives them in order.
    const inFlight: InFlight[] = [];
    try {
      while (this.#batches.length > 0 || inFlight.length > 0) {
        while (this.#batches.length > 0 && inFlight.length < MAX_IN_FLIGHT) {
          const { lines, resolve, reject } = this.#batches.shift()!;
          const payload = Buffer.from(lines.join(''));
          inFlight.push({ events: lines.length, payload, published: this.#tryPublish(payload), resolve, reject });
        }
        const head = inFlight.shift()!;
        try {
          await this.#settle(head);
          head.resolve();
        } catch (err) {
          head.reject(err);
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }

  /** True when JetStream acked the payload; false when it belongs in the spool (broker away, spool not empty, publish failed). */
  async #tryPublish(payload: Buffer): Promise<boolean> {
    if (!this.#ready || !this.#spool.isEmpty) return false;
    try {
      await this.#publish(payload);
      return true;
    } catch (err) {
      this.#countFailure(err);
      return false;
    }
  }

  async #settle({ events, payload, published }: InFlight): Promise<void> {
    if (await published) {
      this.#stats.published += events;
      return;
    }
    await this.#spool.append(payload);
    this.#stats.spooled += events;
    this.#kickReplay();
  }

  async #publish(payload: Buffer): Promise<void> {
    const js = this.#js;
    if (js === undefined || !this.#ready) throw new HoneyscopeError('HS_FLEET', `Cannot publish to "${this.#subject}": not connected`);
    await js.publish(this.#subject, payload, { msgID: hash('sha256', payload, 'hex').slice(0, 32), timeout: this.#options.fleet.publishTimeoutMs });
  }

  #kickReplay(): void {
    if (this.#replaying) {
      this.#replayAgain = true;
      return;
    }
    if (!this.#ready || this.#closed || this.#spool.isEmpty) return;
    this.#replaying = this.#replay().finally(() => {
      this.#replaying = undefined;
      if (this.#replayAgain) {
        this.#replayAgain = false;
        this.#kickReplay();
      }
    });
  }

  async #replay(): Promise<void> {
    while (this.#ready && !this.#closed) {
      const payload = await this.#spool.peek();
      if (payload === undefined) return;
      try {
        await this.#publish(payload);
        await this.#spool.shift();
        this.#stats.replayed += 1;
      } catch (err) {
        this.#countFailure(err);
        await sleep(RETRY_MS);
      }
    }
  }

  #countFailure(err: unknown): void {
    this.#publishFailures += 1;
    if (this.#publishFailures === 1 || this.#publishFailures % 100 === 0) {
      this.#options.logger.warn({ subject: this.#subject, failures: this.#publishFailures, err: errorMessage(err) }, 'fleet publish failed; spooling');
    }
  }
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { lines: [], bytes: 0, done, resolve, reject };
}
