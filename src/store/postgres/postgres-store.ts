import pg from 'pg';
import { HoneyscopeError, errorMessage } from '../../lib/errors.js';
import { utcDay } from '../../lib/time.js';
import { EVENT_COLUMNS, type EventRow } from '../event-row.js';
import { SqlStore, type SqlDialect, type SqlRow } from '../sql-store.js';
import type { AppendResult, IngestCheckpoint } from '../store.js';
import { copyIn } from './copy-in.js';
import { encodeCopyBinary } from './encode-copy-binary.js';
import { ROLLUP_TABLES, openPostgresRollups, refreshPostgresRollups, unfoldedSql } from './postgres-rollups.js';

const POSTGRES_DIALECT: SqlDialect = {
  timestampFromUs: (p) => `(timestamptz 'epoch' + (${p})::int8 * interval '1 microsecond')`,
  epochUs: (c) => `(extract(epoch from ${c}) * 1000000)::int8`,
  minuteMs: (c) => `(extract(epoch from date_trunc('minute', ${c})) * 1000)::int8`,
  dayOf: (c) => `(${c} AT TIME ZONE 'UTC')::date`,
};

const COLUMNS = EVENT_COLUMNS.map((c) => (c === 'ts_us' ? 'ts' : c)).join(', ');
/** The fast path: COPY uses PostgreSQL's multi-row insert, several times cheaper per row than INSERT ... ON CONFLICT. */
const COPY_SQL = `COPY events (${COLUMNS}) FROM STDIN (FORMAT binary)`;
/** Only the columns we copy, without `events`' constraints or any column someone adds later. */
const STAGING_SQL = `CREATE TEMP TABLE IF NOT EXISTS events_staging ON COMMIT DELETE ROWS AS SELECT ${COLUMNS} FROM events WITH NO DATA`;
/** The path that skips rows already stored; one round trip and one transaction. */
const STAGED_COPY_SQL = `COPY events_staging (${COLUMNS}) FROM STDIN (FORMAT binary);
INSERT INTO events (${COLUMNS}) SELECT ${COLUMNS} FROM events_staging ON CONFLICT DO NOTHING`;

/**
 * The primary key leads with `ts`, not the identity hash: the same uniqueness,
 * but new rows land at the right edge of the B-tree instead of on random pages.
 */
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
  PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);
CREATE INDEX IF NOT EXISTS events_eventid_ts ON events (eventid, ts);
CREATE INDEX IF NOT EXISTS events_outbound ON events (src_ip, dst_port, dst_ip, ts) WHERE eventid = 'cowrie.direct-tcpip.request';
-- A session's events (the dashboard's session page and replay): without it, a scan of every partition.
CREATE INDEX IF NOT EXISTS events_session ON events (session);
CREATE TABLE IF NOT EXISTS ingest_checkpoints (
  source text PRIMARY KEY, head text NOT NULL, byte_offset int8 NOT NULL, line int8 NOT NULL, updated_at timestamptz NOT NULL
);`;

/** PostgreSQL's "duplicate table": another writer created the day's partition first. */
const DUPLICATE_TABLE = '42P07';
const UNIQUE_VIOLATION = '23505';
const MS_PER_DAY = 86_400_000;
const US_PER_DAY = MS_PER_DAY * 1000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The server store: PostgreSQL, `events` partitioned by UTC day on `ts`
 * (partitions created as days arrive). Appends are one binary `COPY` per
 * batch, idempotent by event identity (see #copy).
 */
export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  protected readonly dialect = POSTGRES_DIALECT;
  /** The rollups' watermark when this store last refreshed them (they never move back). */
  #watermark = '0';
  readonly #pool: pg.Pool;
  readonly #days = new Set<string>();
  /** Pooled connections whose session has the temporary staging table. */
  readonly #staging = new WeakSet<pg.PoolClient>();
  #duplicatesSeen = false;

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
      await openPostgresRollups(pool);
    } catch (err) {
      await pool.end();
      throw new HoneyscopeError('HS_STORE', `Cannot open PostgreSQL store "${redact(url)}": ${errorMessage(err)}`, { cause: err });
    }
    return new PostgresStore(pool);
  }

  append(rows: readonly EventRow[]): Promise<AppendResult> {
    if (rows.length === 0) return Promise.resolve({ inserted: 0, duplicates: 0 });
    try {
      // Encoded before anything waits, so the caller's rows can be collected while the COPY runs.
      return this.#store(dayNumbers(rows), encodeCopyBinary(rows), rows.length);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #store(days: ReadonlySet<number>, data: Buffer, count: number): Promise<AppendResult> {
    await this.#ensurePartitions(days);
    const client = await this.#pool.connect();
    try {
      const inserted = await this.#copy(client, data);
      client.release();
      return { inserted, duplicates: count - inserted };
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
  }

  /**
   * COPY straight into `events`; when a row is already there (a redelivery, a
   * replay) the COPY fails as a whole and the batch goes through the staging
   * table, which skips what is stored. Further batches take that path too
   * until one has no duplicates, so a burst of redeliveries is not copied twice.
   */
  async #copy(client: pg.PoolClient, data: Buffer): Promise<number> {
    if (!this.#duplicatesSeen) {
      try {
        return commandCount((await copyIn(client, COPY_SQL, data)).at(-1));
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      }
    }
    if (!this.#staging.has(client)) {
      await client.query(STAGING_SQL);
      this.#staging.add(client);
    }
    const tags = await copyIn(client, STAGED_COPY_SQL, data);
    const copied = commandCount(tags[0]);
    const inserted = commandCount(tags.at(-1));
    this.#duplicatesSeen = inserted < copied;
    return inserted;
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

  /** Folds a bulk load into the rollups, then updates planner statistics and visibility maps (index-only scans). */
  async analyze(): Promise<void> {
    await this.fresh();
    await this.#pool.query(`VACUUM ANALYZE events, ${ROLLUP_TABLES.join(', ')}`);
  }

  protected async refreshRollups(begin: () => void): Promise<void> {
    this.#watermark = await refreshPostgresRollups(this.#pool, this.dialect, begin);
  }

  protected override unfolded(): string {
    return unfoldedSql(this.#watermark);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #ensurePartitions(dayNumbers: ReadonlySet<number>): Promise<void> {
    for (const day of [...dayNumbers].map((d) => utcDay(d * MS_PER_DAY))) {
      if (this.#days.has(day)) continue;
      const next = utcDay(Date.parse(`${day}T00:00:00Z`) + MS_PER_DAY);
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

/** The UTC days of the rows as day numbers since the epoch: formatting a date per row would cost more than encoding it. */
function dayNumbers(rows: readonly EventRow[]): Set<number> {
  const days = new Set<number>();
  for (const r of rows) days.add(Math.floor(r.ts_us / US_PER_DAY));
  return days;
}

/** The row count at the end of a command tag ("COPY 5000", "INSERT 0 4990"). */
function commandCount(tag: string | undefined): number {
  const n = Number(/ (\d+)$/.exec(tag ?? '')?.[1]);
  if (!Number.isInteger(n)) throw new HoneyscopeError('HS_STORE', `Cannot read the row count of PostgreSQL's reply "${tag}"`);
  return n;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
