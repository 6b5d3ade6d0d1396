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

interface Pending {
  line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const RETRY_MS = 500;

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
  #queue: Pending[] = [];
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
    return new Promise((resolve, reject) => {
      this.#queue.push({ line: `${toCowrieJson(event)}\n`, resolve, reject });
      this.#draining ??= this.#drain();
    });
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
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        try {
          await this.#deliver(Buffer.from(batch.map((p) => p.line).join('')), batch.length);
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }

  #takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length) {
      bytes += Buffer.byteLength(this.#queue[n]!.line);
      if (n > 0 && bytes > this.#options.fleet.maxBatchBytes) break;
      n += 1;
    }
    return this.#queue.splice(0, n);
  }

  async #deliver(payload: Buffer, events: number): Promise<void> {
    if (this.#ready && this.#spool.isEmpty) {
      try {
        await this.#publish(payload);
        this.#stats.published += events;
        return;
      } catch (err) {
        this.#countFailure(err);
      }
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
