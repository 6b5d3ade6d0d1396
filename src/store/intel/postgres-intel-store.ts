import pg from 'pg';
import { HoneyscopeError } from '../../lib/errors.js';
import type { IntelItem } from '../../intel/indicator.js';
import type { IntelStats, IntelStore, ItemQuery, RecordSource } from '../../intel/intel-store.js';
import { groupRows, INTEL_COLUMNS, rowBatches, selectColumns } from './intel-row.js';
import { inTransaction } from '../postgres/in-transaction.js';

const BATCH = 10_000;
const FETCH = 10_000;
const COLS = INTEL_COLUMNS.join(', ');
const C_ORDER = 'type COLLATE "C", indicator COLLATE "C", source COLLATE "C", pulse_id COLLATE "C"';

export interface PostgresIntelStoreOptions {
  /** Schema holding the intel tables (created if missing); `public` by default. */
  schema?: string;
}

/**
 * The intel store in PostgreSQL. Upserts go in batches of 10,000 rows as
 * arrays through unnest() with ON CONFLICT; items stream through a cursor and
 * sort bytewise (COLLATE "C") so the order matches the DuckDB store.
 */
export async function openPostgresIntelStore(url: string, options: PostgresIntelStoreOptions = {}): Promise<IntelStore> {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new HoneyscopeError('HS_STORE', `Cannot open the intel store: schema "${schema}" is not lowercase letters, digits and underscores`);
  }
  const table = `"${schema}".intel_indicators`;
  const state = `"${schema}".intel_state`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS ${table} (
        type text NOT NULL, indicator text NOT NULL, source text NOT NULL, pulse_id text NOT NULL,
        pulse_name text, author text, description text, url text, tags text, tlp text,
        first_seen bigint, last_seen bigint, expires bigint, active boolean NOT NULL,
        PRIMARY KEY (type, indicator, source, pulse_id));
      CREATE INDEX IF NOT EXISTS intel_indicators_value ON ${table} (indicator);
      CREATE TABLE IF NOT EXISTS ${state} (key text PRIMARY KEY, value text NOT NULL);`);
  } catch (err) {
    await pool.end();
    throw new HoneyscopeError('HS_STORE', `Cannot open the intel store at ${redact(url)}: ${(err as Error).message}`, { cause: err });
  }

  async function stage(client: pg.PoolClient, records: RecordSource): Promise<number> {
    let count = 0;
    for await (const rows of rowBatches(records, BATCH)) {
      const columns = INTEL_COLUMNS.map((_, i) => rows.map((r) => r[i]));
      await client.query(
        `INSERT INTO ${table} (${COLS})
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::boolean[])
         ON CONFLICT (type, indicator, source, pulse_id) DO UPDATE SET
           pulse_name = EXCLUDED.pulse_name, author = EXCLUDED.author, description = EXCLUDED.description, url = EXCLUDED.url,
           tags = EXCLUDED.tags, tlp = EXCLUDED.tlp, first_seen = LEAST(${table}.first_seen, EXCLUDED.first_seen),
           last_seen = EXCLUDED.last_seen, expires = EXCLUDED.expires, active = EXCLUDED.active`,
        columns.map((col, i) => (i >= 10 && i < 13 ? col.map((v) => (v === null ? null : Math.round(v as number))) : col)),
      );
      count += rows.length;
    }
    return count;
  }

  async function* cursorRows(sql: string, params: unknown[]): AsyncGenerator<unknown[][]> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`DECLARE intel_items NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const r = await client.query<unknown[]>({ text: `FETCH ${FETCH} FROM intel_items`, rowMode: 'array' });
        if (r.rows.length === 0) break;
        yield r.rows;
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  return {
    async upsert(records) {
      return inTransaction(pool, (client) => stage(client, records));
    },
    async replaceSource(source, records) {
      return inTransaction(pool, async (client) => {
        await client.query(`DELETE FROM ${table} WHERE source = $1`, [source]);
        return stage(client, records);
      });
    },
    async removePulses(source, pulseIds) {
      if (pulseIds.length === 0) return 0;
      const r = await pool.query(`DELETE FROM ${table} WHERE source = $1 AND pulse_id = ANY($2::text[])`, [source, pulseIds]);
      return r.rowCount ?? 0;
    },
    itemBatches(query: ItemQuery = {}): AsyncIterable<IntelItem[]> {
      const parts: string[] = [];
      const params: unknown[] = [];
      if (query.types) {
        params.push(query.types);
        parts.push(`type = ANY($${params.length}::text[])`);
      }
      if (query.sources) {
        params.push(query.sources);
        parts.push(`source = ANY($${params.length}::text[])`);
      }
      if (query.activeAt !== undefined) {
        params.push(Math.floor(query.activeAt));
        parts.push(`active AND (expires IS NULL OR expires > $${params.length})`);
      }
      const where = parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
      return groupRows(cursorRows(`SELECT ${selectColumns(query.metaFields ?? 'full')} FROM ${table} ${where} ORDER BY ${C_ORDER}`, params));
    },
    async lookup(indicator) {
      const r = await pool.query<unknown[]>({ text: `SELECT ${COLS} FROM ${table} WHERE indicator = $1 ORDER BY ${C_ORDER}`, values: [indicator], rowMode: 'array' });
      const items: IntelItem[] = [];
      for await (const batch of groupRows([r.rows])) items.push(...batch);
      return items;
    },
    async stats(): Promise<IntelStats> {
      const total = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT DISTINCT type, indicator FROM ${table}) t`);
      const byType = await pool.query<{ k: string; n: string }>(`SELECT type AS k, count(DISTINCT indicator) AS n FROM ${table} GROUP BY type ORDER BY type COLLATE "C"`);
      const bySource = await pool.query<{ k: string; n: string }>(`SELECT source AS k, count(*) AS n FROM (SELECT DISTINCT source, type, indicator FROM ${table}) t GROUP BY source ORDER BY source COLLATE "C"`);
      return {
        total: Number(total.rows[0]?.n ?? 0),
        byType: Object.fromEntries(byType.rows.map((r) => [r.k, Number(r.n)])),
        bySource: Object.fromEntries(bySource.rows.map((r) => [r.k, Number(r.n)])),
      };
    },
    async getState(key) {
      const r = await pool.query<{ value: string }>(`SELECT value FROM ${state} WHERE key = $1`, [key]);
      return r.rows[0]?.value;
    },
    async setState(key, value) {
      await pool.query(`INSERT INTO ${state} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [key, value]);
    },
    async close() {
      await pool.end();
    },
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
