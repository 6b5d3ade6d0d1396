import type { RateStep } from '../dashboard-data.js';

/** The expressions where DuckDB and PostgreSQL differ, for the dashboard's queries. */
export interface WebDialect {
  /** A timestamp from a parameter holding microseconds since the epoch. */
  fromUs(param: string): string;
  /** A timestamp column as microseconds since the epoch (64-bit integer). */
  toUs(column: string): string;
  /** Start of the UTC bucket holding `column`, ms since the epoch. */
  bucketMs(column: string, step: RateStep): string;
}

const INTERVAL: Record<RateStep, string> = { minute: '1 minute', '5min': '5 minutes', hour: '1 hour', day: '1 day' };

export const DUCKDB_WEB_DIALECT: WebDialect = {
  fromUs: (p) => `make_timestamp(CAST(${p} AS BIGINT))`,
  toUs: (c) => `epoch_us(${c})`,
  bucketMs: (c, step) => `epoch_ms(time_bucket(INTERVAL '${INTERVAL[step]}', ${c}, TIMESTAMP '1970-01-01'))`,
};

export const POSTGRES_WEB_DIALECT: WebDialect = {
  fromUs: (p) => `(timestamptz 'epoch' + (${p})::int8 * interval '1 microsecond')`,
  toUs: (c) => `(extract(epoch from ${c}) * 1000000)::int8`,
  bucketMs: (c, step) => `(extract(epoch from date_bin(interval '${INTERVAL[step]}', ${c}, timestamptz 'epoch')) * 1000)::int8`,
};
