import pg from 'pg';
import { HoneyscopeError, errorMessage } from '../../lib/errors.js';
import { utcDay } from '../../lib/time.js';
import { EVENT_COLUMNS, type EventColumn, type EventRow } from '../event-row.js';
import { SqlStore, type SqlDialect, type SqlRow } from '../sql-store.js';
import type { AppendResult, IngestCheckpoint } from '../store.js';

const POSTGRES_DIALECT: SqlDialect = {
  timestampFromUs: (p) => `(timestamptz 'epoch' + (${p})::int8 * interval '1 microsecond')`,
  epochUs: (c) => `(extract(epoch from ${c}) * 1000000)::int8`,
  minuteMs: (c) => `(extract(epoch from date_trunc('minute', ${c})) * 1000)::int8`,
};

const ARRAY_TYPES: Record<EventColumn, string> = {
  id: 'uuid[]',
  ts_us: 'int8[]',
  eventid: 'text[]',
  session: 'text[]',
  sensor: 'text[]',
  src_ip: 'text[]',
  src_port: 'int4[]',
  dst_ip: 'text[]',
  dst_port: 'int4[]',
  orig_ip: 'text[]',
  orig_port: 'int4[]',
  username: 'text[]',
  password: 'text[]',
  input: 'text[]',
  url: 'text[]',
  shasum: 'text[]',
  duration_ms: 'float8[]',
  payload_kind: 'text[]',
  http_method: 'text[]',
  http_host: 'text[]',
  http_path: 'text[]',
  http_headers: 'text[]',
  smtp_ehlo: 'text[]',
  tls_sni: 'text[]',
  raw: 'text[]',
};

const INSERT_SQL = `INSERT INTO events (${EVENT_COLUMNS.map((c) => (c === 'ts_us' ? 'ts' : c)).join(', ')})
SELECT ${EVENT_COLUMNS.map((c) => (c === 'ts_us' ? POSTGRES_DIALECT.timestampFromUs('ts_us') : c)).join(', ')}
FROM unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${ARRAY_TYPES[c]}`).join(', ')}) AS t(${EVENT_COLUMNS.join(', ')})
ON CONFLICT DO NOTHING`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id uuid NOT NULL,
  ts timestamptz NOT NULL,
  eventid text NOT NULL,
  session text, sensor text,
  src_ip text, src_port int4, dst_ip text, dst_port int4, orig_ip text, orig_port int4,
  username text, password text, input text, url text, shasum text, duration_ms float8,
  payload_kind text, http_method text, http_host text, http_path text, http_headers text,
  smtp_ehlo text, tls_sni text,
  raw text NOT NULL,
  PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);
CREATE INDEX IF NOT EXISTS events_eventid_ts ON events (eventid, ts);
CREATE INDEX IF NOT EXISTS events_outbound ON events (src_ip, dst_port, dst_ip, ts) WHERE eventid = 'cowrie.direct-tcpip.request';
CREATE TABLE IF NOT EXISTS ingest_checkpoints (
  source text PRIMARY KEY, head text NOT NULL, byte_offset int8 NOT NULL, line int8 NOT NULL, updated_at timestamptz NOT NULL
);`;

/** PostgreSQL's "duplicate table": another writer created the day's partition first. */
const DUPLICATE_TABLE = '42P07';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The server store: PostgreSQL, `events` partitioned by UTC day on `ts`
 * (partitions created as days arrive). Appends are one `INSERT ... SELECT
 * FROM unnest(arrays) ON CONFLICT DO NOTHING` per batch.
 */
export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  protected readonly dialect = POSTGRES_DIALECT;
  readonly #pool: pg.Pool;
  readonly #days = new Set<string>();

  private constructor(pool: pg.Pool) {
    super();
    this.#pool = pool;
  }

  /** Connects and creates the tables; `schema` (created if missing) isolates one store from another. */
  static async open(url: string, options: { schema?: string } = {}): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new RangeError(`Expected a lower-case SQL identifier for the schema but found "${schema}"`);
    const pool = new pg.Pool({
      connectionString: withDefaultUser(url),
      max: 4,
      options: `-c search_path=${schema} -c TimeZone=UTC`,
    });
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await pool.query(SCHEMA);
    } catch (err) {
      await pool.end();
      throw new HoneyscopeError('HS_STORE', `Cannot open PostgreSQL store "${redact(url)}": ${errorMessage(err)}`, { cause: err });
    }
    return new PostgresStore(pool);
  }

  async append(rows: readonly EventRow[]): Promise<AppendResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    await this.#ensurePartitions(rows);
    const arrays = EVENT_COLUMNS.map((c) => rows.map((r) => r[c]));
    const result = await this.#pool.query(INSERT_SQL, arrays);
    const inserted = result.rowCount ?? 0;
    return { inserted, duplicates: rows.length - inserted };
  }

  async getCheckpoint(source: string): Promise<IngestCheckpoint | undefined> {
    const rows = await this.all('SELECT source, head, byte_offset, line FROM ingest_checkpoints WHERE source = $1', [source]);
    const r = rows[0];
    return r === undefined ? undefined : { source: String(r.source), head: String(r.head), offset: Number(r.byte_offset), line: Number(r.line) };
  }

  async putCheckpoint(cp: IngestCheckpoint): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ingest_checkpoints VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (source) DO UPDATE SET head = excluded.head, byte_offset = excluded.byte_offset, line = excluded.line, updated_at = now()`,
      [cp.source, cp.head, cp.offset, cp.line],
    );
  }

  protected async all(sql: string, params: readonly unknown[]): Promise<SqlRow[]> {
    const result = await this.#pool.query(sql, params as unknown[]);
    return result.rows as SqlRow[];
  }

  /** Updates planner statistics and visibility maps (index-only scans) after a bulk load. */
  async analyze(): Promise<void> {
    await this.#pool.query('VACUUM ANALYZE events');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #ensurePartitions(rows: readonly EventRow[]): Promise<void> {
    const days = new Set<string>();
    for (const r of rows) days.add(utcDay(r.ts_us / 1000));
    for (const day of days) {
      if (this.#days.has(day)) continue;
      const next = utcDay(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
      try {
        await this.#pool.query(
          `CREATE TABLE IF NOT EXISTS events_${day.replaceAll('-', '')} PARTITION OF events FOR VALUES FROM ('${day}') TO ('${next}')`,
        );
      } catch (err) {
        if ((err as { code?: string }).code !== DUPLICATE_TABLE) throw err;
      }
      this.#days.add(day);
    }
  }
}

/** libpq's default user is the login name, which service environments may not set. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === '') parsed.username = process.env.PGUSER || process.env.USER || 'postgres';
  return parsed.toString();
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
