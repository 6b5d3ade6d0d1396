import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import pg from 'pg';
import { HoneyscopeError, errorMessage } from '../../lib/errors.js';
import { withDefaultUser } from '../../store/postgres/postgres-store.js';

export type SqlRow = Record<string, unknown>;

/**
 * A read connection to the store's `events` table for the dashboard's own
 * queries (those the Store interface does not offer). SQL uses `$1` parameters.
 */
export interface SqlRunner {
  readonly kind: 'duckdb' | 'postgres';
  all(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  close(): Promise<void>;
}

/**
 * A second connection to the DuckDB file the store opened: DuckDB's instance
 * cache gives the same database, so the dashboard reads what the store writes.
 * The runner keeps its instance object alive: once every JS reference to a
 * cached instance is collected, `fromCache` on that path hangs (seen with
 * @duckdb/node-api 1.5), so open the runner before the store when both are new.
 */
export async function openDuckDbRunner(path: string, options: { connections?: number } = {}): Promise<SqlRunner> {
  const lanes: { conn: DuckDBConnection; chain: Promise<unknown>; pending: number }[] = [];
  let instance: DuckDBInstance;
  try {
    await mkdir(dirname(path), { recursive: true });
    instance = await DuckDBInstance.fromCache(path);
    for (let i = 0; i < (options.connections ?? 3); i++) lanes.push({ conn: await instance.connect(), chain: Promise.resolve(), pending: 0 });
  } catch (err) {
    for (const lane of lanes) lane.conn.closeSync();
    throw new HoneyscopeError('HS_STORE', `Cannot open DuckDB store "${path}" for the dashboard: ${errorMessage(err)}`, { cause: err });
  }
  const runner = {
    kind: 'duckdb' as const,
    /** Held only to keep the cached instance alive. */
    instance,
    all(sql: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
      // Statements run one at a time per connection; a few connections let a page's requests run side by side.
      const lane = lanes.reduce((a, b) => (b.pending < a.pending ? b : a));
      lane.pending += 1;
      const next = lane.chain.then(async () => (await lane.conn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS() as SqlRow[]);
      lane.chain = next.catch(() => undefined).finally(() => (lane.pending -= 1));
      return next;
    },
    async close() {
      for (const lane of lanes) {
        await lane.chain;
        lane.conn.closeSync();
      }
    },
  };
  return runner;
}

/** A small pool on the PostgreSQL store, in its schema and in UTC (as the store connects). */
export function openPostgresRunner(url: string, options: { schema?: string } = {}): SqlRunner {
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max: 4,
    options: `-c search_path=${options.schema ?? 'public'} -c TimeZone=UTC`,
  });
  // Idle-client errors surface again on the next query; without a listener they would crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async all(sql, params = []) {
      const result = await pool.query(sql, params as unknown[]);
      return result.rows as SqlRow[];
    },
    close() {
      return pool.end();
    },
  };
}
