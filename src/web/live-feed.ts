import type { EventDispatcher } from '../events/dispatcher.js';
import type { HoneyscopeEvent } from '../events/event.js';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { DashboardData } from './dashboard-data.js';

export type FeedListener = (event: Record<string, unknown>) => void;

/** New events for the dashboard's live feed, from the sensor in this process or the store. */
export interface LiveFeed {
  subscribe(listener: FeedListener): () => void;
  close(): void;
}

const MAX_STRING = 400;
const MAX_FIELDS = 40;

/** A bounded copy of an event for the browser: long strings cut, nested values kept small. */
export function feedEvent(event: HoneyscopeEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let fields = 0;
  for (const [key, value] of Object.entries(event)) {
    if (fields++ >= MAX_FIELDS) break;
    if (typeof value === 'string') out[key] = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else if (value !== undefined) {
      const json = JSON.stringify(value);
      out[key] = json.length > MAX_STRING ? `${json.slice(0, MAX_STRING)}…` : value;
    }
  }
  return out;
}

export interface LiveFeedOptions {
  data: DashboardData;
  dispatcher?: EventDispatcher | undefined;
  logger: Logger;
  /** How often the store is polled when there is no dispatcher. */
  pollMs?: number;
}

/**
 * With a dispatcher, forwards its events as they are dispatched. Without one,
 * polls the store for rows newer than the last seen, only while someone listens.
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const listeners = new Set<FeedListener>();
  const pollMs = options.pollMs ?? 2000;
  let unsubscribeDispatcher: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let cursor: number | undefined;
  let polling = false;

  function emit(event: HoneyscopeEvent): void {
    const slim = feedEvent(event);
    for (const listener of listeners) listener(slim);
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      if (cursor === undefined) {
        const latest = await options.data.recentEvents({ limit: 1 });
        cursor = latest.at(-1)?.seq ?? 0;
        return;
      }
      const items = await options.data.recentEvents({ afterSeq: cursor, limit: 500 });
      for (const item of items) {
        cursor = Math.max(cursor, item.seq);
        emit(item.event);
      }
    } catch (err) {
      options.logger.warn({ err: errorMessage(err) }, 'live feed poll failed');
    } finally {
      polling = false;
    }
  }

  function start(): void {
    if (options.dispatcher) {
      unsubscribeDispatcher = options.dispatcher.subscribe(emit);
      return;
    }
    void poll();
    timer = setInterval(() => void poll(), pollMs);
    timer.unref();
  }

  function stop(): void {
    unsubscribeDispatcher?.();
    unsubscribeDispatcher = null;
    if (timer) clearInterval(timer);
    timer = null;
    cursor = undefined;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    close() {
      listeners.clear();
      stop();
    },
  };
}
