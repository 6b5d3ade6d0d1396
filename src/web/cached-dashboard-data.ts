import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { DashboardData } from './dashboard-data.js';

/** The aggregate queries worth caching; session pages and the feed always read the store. */
const CACHED = ['overview', 'lastEventTime', 'rates', 'tree', 'linkGraph', 'outboundDays', 'ehlo', 'httpRequests', 'tlsNames', 'credentials', 'commands'] as const;

export interface CacheOptions {
  /** Age after which an answer is refreshed in the background (the stale one is served meanwhile). */
  ttlMs: number;
  /**
   * Age past which a request waits for the fresh answer instead (default 10 × ttlMs): a dashboard
   * opened after a quiet spell shows what happened meanwhile, not what the store held back then.
   */
  maxStaleMs?: number;
  /**
   * How long a request gives the refresh before it takes the stale answer (default 100 ms; 0: not at
   * all). On a small store the refresh is done by then, so a dashboard opened right after an attack
   * shows it; at scale the counters cost this much more to paint.
   */
  freshWithinMs?: number;
  /**
   * Rows this process has taken for the store so far (`honeyscope run`: the
   * sensor's store sink). An answer computed before the count moved is known
   * to be old: the request refreshes it at once, whatever its age, and gives
   * the refresh up to `changedWaitMs` (default 2 s) before it takes the old answer.
   */
  written?: () => number;
  /** Stores the rows taken but still buffered; awaited before each refresh, so an answer counts them. */
  flush?: () => Promise<void>;
  /** With `written`: no other process writes the store (DuckDB's file lock), so an answer stays right until the count moves. */
  onlyWriter?: boolean;
  changedWaitMs?: number;
  /** Most answers kept; the oldest go first. */
  maxEntries?: number;
  logger: Logger;
  now?: () => number;
}

interface Entry {
  at: number;
  /** written() when the answer was asked for. */
  written: number;
  value: Promise<unknown>;
  /** The fresh answer being computed; on failure, the stale one. */
  refresh: Promise<unknown> | undefined;
}

function key(method: string, args: unknown[]): string {
  return `${method}:${JSON.stringify(args)}`;
}

/**
 * Stale-while-revalidate over the aggregate queries: the first request for
 * some arguments waits for the store, later ones get the last answer at once
 * while an older-than-`ttlMs` answer is recomputed in the background. Over
 * millions of events the counters, rates and tree map then paint without
 * waiting for a full scan; they lag the store by at most `ttlMs` plus one query
 * (the live feed does not). A refresh that answers within `freshWithinMs` is
 * served instead of the stale answer, and past `maxStaleMs` the request waits
 * for it. Where the process knows what it writes (`written`), an answer older
 * than the last rows is refreshed at once, and waited for.
 */
export function cachedDashboardData(data: DashboardData, options: CacheOptions): DashboardData {
  const entries = new Map<string, Entry>();
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 256;
  const maxStale = options.maxStaleMs ?? 10 * options.ttlMs;
  const freshWithin = options.freshWithinMs ?? 100;
  const changedWait = options.changedWaitMs ?? 2_000;
  const written = options.written ?? (() => 0);
  const flush = options.flush;

  function load(k: string, run: () => Promise<unknown>): Promise<unknown> {
    const count = written();
    const value = run();
    const entry: Entry = { at: now(), written: count, value, refresh: undefined };
    entries.delete(k);
    entries.set(k, entry);
    if (entries.size > max) entries.delete(entries.keys().next().value as string);
    // A failed answer is not kept: the next request asks the store again.
    value.catch(() => entries.get(k) === entry && entries.delete(k));
    return value;
  }

  /** The entry's refresh if it answers within `waitMs`, else its stale answer. */
  function freshOrStale(entry: Entry, refresh: Promise<unknown>, waitMs: number): Promise<unknown> {
    if (waitMs <= 0) return entry.value;
    let timer: NodeJS.Timeout | undefined;
    const stale = new Promise<unknown>((resolve) => (timer = setTimeout(() => resolve(entry.value), waitMs)));
    return Promise.race([refresh, stale]).finally(() => clearTimeout(timer));
  }

  const wrapped: DashboardData = { ...data };
  for (const method of CACHED) {
    const original = data[method].bind(data) as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method] = function cached(...args: unknown[]): Promise<unknown> {
      const k = key(method, args);
      const entry = entries.get(k);
      if (!entry) return load(k, () => original(...args));
      const age = now() - entry.at;
      const count = written();
      const changed = count !== entry.written;
      // The only writer's answer is right until it stores more rows; another writer's rows show up within ttlMs.
      const expired = changed || (!(options.onlyWriter && options.written) && age > options.ttlMs);
      if (expired && entry.refresh === undefined) {
        const fresh = flush ? flush().then(() => original(...args)) : original(...args);
        entry.refresh = fresh.then(
          (value) => {
            if (entries.get(k) === entry) entries.set(k, { at: now(), written: count, value: Promise.resolve(value), refresh: undefined });
            return value;
          },
          (err: unknown) => {
            entry.refresh = undefined;
            options.logger.warn({ err: errorMessage(err), method }, 'dashboard cache refresh failed');
            return entry.value;
          },
        );
      }
      if (entry.refresh === undefined) return entry.value;
      if (age > maxStale) return entry.refresh;
      return freshOrStale(entry, entry.refresh, changed ? changedWait : freshWithin);
    };
  }
  return wrapped;
}
