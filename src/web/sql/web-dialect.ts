import type { RateStep } from '../dashboard-data.js';

/** The expressions where DuckDB and PostgreSQL differ, for the dashboard's queries. */
export interface WebDialect {
  /** A timestamp from a parameter holding microseconds since the epoch. */
  fromUs(param: string): string;
  /** A timestamp column as microseconds since the epoch (64-bit integer). */
  toUs(column: string): string;
  /** Start of the UTC bucket holding `column`, ms since the epoch. */
  bucketMs(column: string, step: RateStep): string;
  /**
   * A page of sessions (`session`, `started`), newest first, each placed by
   * its first event among those `where` (a WHERE clause) selects; `match`
   * adds conditions (` AND ...`). Exact on both stores, planned for each.
   */
  sessionPage(where: string, match: string, limit: number, offset: number): string;
}

const page = (limit: number, offset: number): string => `ORDER BY started DESC, session LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`;

const INTERVAL: Record<RateStep, string> = { minute: '1 minute', '5min': '5 minutes', hour: '1 hour', day: '1 day' };

export const DUCKDB_WEB_DIALECT: WebDialect = {
  fromUs: (p) => `make_timestamp(CAST(${p} AS BIGINT))`,
  toUs: (c) => `epoch_us(${c})`,
  bucketMs: (c, step) => `epoch_ms(time_bucket(INTERVAL '${INTERVAL[step]}', ${c}, TIMESTAMP '1970-01-01'))`,
  // No index to walk: one hash aggregate over the selected events' columns is the cheapest.
  sessionPage: (w, match, limit, offset) => `SELECT session, min(ts) AS started FROM events ${w}${match} GROUP BY session ${page(limit, offset)}`,
};

export const POSTGRES_WEB_DIALECT: WebDialect = {
  fromUs: (p) => `(timestamptz 'epoch' + (${p})::int8 * interval '1 microsecond')`,
  toUs: (c) => `(extract(epoch from ${c}) * 1000000)::int8`,
  bucketMs: (c, step) => `(extract(epoch from date_bin(interval '${INTERVAL[step]}', ${c}, timestamptz 'epoch')) * 1000)::int8`,
  // The event with no earlier one (ties by id) for its session: the (eventid, ts) index is walked backwards
  // and the session index probed, and the walk stops after a page, where grouping would read every event
  // (273 ms against 2 ms at a million events).
  sessionPage: (w, match, limit, offset) => `SELECT session, ts AS started FROM events o ${w}${match}
    AND NOT EXISTS (SELECT 1 FROM events ${w} AND session = o.session AND (ts < o.ts OR (ts = o.ts AND id < o.id))) ${page(limit, offset)}`,
};
