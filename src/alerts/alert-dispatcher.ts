import type { Logger } from '../lib/logger.js';
import { errorMessage } from '../lib/errors.js';
import type { Alert } from './alert.js';
import type { AlertSink } from './alert-sink.js';

export interface RetryPolicy {
  /** Tries per alert, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SinkStats {
  sent: number;
  /** Alerts given up after every attempt failed. */
  failed: number;
  retries: number;
  /** Alerts dropped because the sink's queue was full. */
  dropped: number;
  queued: number;
}

export interface AlertDispatcherOptions {
  retry?: Partial<RetryPolicy>;
  /** Alerts waiting per sink before the oldest is dropped. */
  queueLimit?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  sink: AlertSink;
  queue: Alert[];
  stats: SinkStats;
  running: Promise<void> | undefined;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Hands each alert to every sink through a queue of its own, so a slow or
 * failing sink never holds up the others or the caller. A failed write is
 * retried with exponential backoff; failures are counted and logged (the
 * first and every 100th per sink).
 */
export class AlertDispatcher {
  readonly #lanes: Lane[];
  readonly #retry: RetryPolicy;
  readonly #queueLimit: number;
  readonly #logger: Logger | undefined;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(sinks: readonly AlertSink[], options: AlertDispatcherOptions = {}) {
    this.#lanes = sinks.map((sink) => ({ sink, queue: [], stats: { sent: 0, failed: 0, retries: 0, dropped: 0, queued: 0 }, running: undefined }));
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#queueLimit = options.queueLimit ?? 10_000;
    this.#logger = options.logger;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Queues the alert for every sink and returns at once. */
  dispatch(alert: Alert): void {
    for (const lane of this.#lanes) {
      if (lane.queue.length >= this.#queueLimit) {
        lane.queue.shift();
        lane.stats.dropped++;
      }
      lane.queue.push(alert);
      lane.stats.queued = lane.queue.length;
      lane.running ??= this.#drain(lane);
    }
  }

  /** Per-sink counters, by sink name. */
  stats(): Record<string, SinkStats> {
    return Object.fromEntries(this.#lanes.map((lane) => [lane.sink.name, { ...lane.stats, queued: lane.queue.length }]));
  }

  /** Resolves when every queued alert was delivered or given up. */
  async flush(): Promise<void> {
    while (this.#lanes.some((lane) => lane.running)) await Promise.all(this.#lanes.map((lane) => lane.running));
  }

  /** Flushes, then closes every sink. */
  async close(): Promise<void> {
    await this.flush();
    for (const lane of this.#lanes) {
      try {
        await lane.sink.close();
      } catch (err) {
        this.#logger?.warn({ sink: lane.sink.name, err: errorMessage(err) }, 'alert sink failed to close');
      }
    }
  }

  async #drain(lane: Lane): Promise<void> {
    for (let alert = lane.queue.shift(); alert; alert = lane.queue.shift()) {
      lane.stats.queued = lane.queue.length;
      await this.#deliver(lane, alert);
    }
    lane.running = undefined;
  }

  async #deliver(lane: Lane, alert: Alert): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await lane.sink.write(alert);
        lane.stats.sent++;
        return;
      } catch (err) {
        if (attempt >= this.#retry.attempts) {
          lane.stats.failed++;
          if (lane.stats.failed === 1 || lane.stats.failed % 100 === 0) {
            this.#logger?.error({ sink: lane.sink.name, failed: lane.stats.failed, err: errorMessage(err) }, 'alert sink gave up on an alert');
          }
          return;
        }
        lane.stats.retries++;
        await this.#sleep(Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
