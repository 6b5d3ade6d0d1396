import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { HoneyscopeError, errorMessage } from '../../lib/errors.js';
import { ioReason } from '../../lib/io-reason.js';
import { EVENT_COLUMNS, type EventColumn, type EventRow, type PayloadColumns } from '../event-row.js';
import { SqlStore, type SqlDialect, type SqlRow } from '../sql-store.js';
import type { AppendResult, EventFilter, IngestCheckpoint } from '../store.js';
import {
  decodedTableSql,
  freshPerFileSql,
  freshSql,
  insertSql,
  payloadKeysSql,
  resolveOddSql,
  slowLinesSql,
  stageSql,
  stagedFilesSql,
} from './bulk-sql.js';
import { createStoreFile } from './create-store-file.js';
import { inTransaction } from './in-transaction.js';
import { openDuckDbRollups, refreshDuckDbRollups } from './duckdb-rollups.js';

/** One file of a bulk read, as DuckDB's reader saw it. */
export interface StagedFile {
  path: string;
  /** Lines including blank ones. */
  rows: number;
  /** Non-blank lines. */
  lines: number;
  /** Lines read on the fast path (typed in SQL). */
  fast: number;
  /** Bytes the lines account for, one newline each. */
  bytes: number;
}

/** A line the bulk path leaves to toEventRow(). */
export interface SlowLine {
  path: string;
  /** 1-based line number in its file. */
  line: number;
  text: string;
}

/** Decoded payload columns for one payload key (JSON `[data_b64, data]`). */
export type DecodedPayloadRow = PayloadColumns & { pk: string };

const INT_COLUMNS = new Set<EventColumn>(['src_port', 'dst_port', 'orig_port']);
const DOUBLE_COLUMNS = new Set<EventColumn>(['ts_us', 'duration_ms']);
const STAGE_TYPES: DuckDBType[] = EVENT_COLUMNS.map((c) => (INT_COLUMNS.has(c) ? INTEGER : DOUBLE_COLUMNS.has(c) ? DOUBLE : VARCHAR));
const STAGE_KINDS = EVENT_COLUMNS.map((c) => (INT_COLUMNS.has(c) ? 'int' : DOUBLE_COLUMNS.has(c) ? 'double' : 'text'));
/** Staged columns converted to the table's, in table order. */
const STAGE_SELECT = EVENT_COLUMNS.map((c) =>
  c === 'id' ? 'CAST(id AS UUID) AS id' : c === 'ts_us' ? 'make_timestamp(CAST(ts_us AS BIGINT)) AS ts' : c,
).join(', ');

/** Query connections per store. */
const READERS = 4;

/** One statement queue per database file in this process. */
const QUEUES = new Map<string, { chain: Promise<unknown> }>();

const DUCKDB_DIALECT: SqlDialect = {
  timestampFromUs: (p) => `make_timestamp(CAST(${p} AS BIGINT))`,
  epochUs: (c) => `epoch_us(${c})`,
  // Integer arithmetic instead of date_trunc: the same minute for every time after 1970, at a fraction of the cost.
  minuteMs: (c) => `(epoch_ms(${c}) // 60000 * 60000)`,
  dayOf: (c) => `CAST(${c} AS DATE)`,
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id UUID NOT NULL,
  ts TIMESTAMP NOT NULL,
  eventid VARCHAR NOT NULL,
  session VARCHAR, sensor VARCHAR,
  src_ip VARCHAR, src_port INTEGER, dst_ip VARCHAR, dst_port INTEGER, orig_ip VARCHAR, orig_port INTEGER,
  username VARCHAR, password VARCHAR, input VARCHAR, url VARCHAR, shasum VARCHAR, duration_ms DOUBLE,
  payload_kind VARCHAR, http_method VARCHAR, http_host VARCHAR, http_path VARCHAR, http_headers VARCHAR,
  smtp_ehlo VARCHAR, tls_sni VARCHAR,
  raw VARCHAR NOT NULL USING COMPRESSION zstd
);
-- Written by earlier versions for queries the rollups now answer.
DROP TABLE IF EXISTS outbound;
CREATE TABLE IF NOT EXISTS ingest_checkpoints (
  source VARCHAR PRIMARY KEY, head VARCHAR NOT NULL, byte_offset BIGINT NOT NULL, line BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL
);`;

/**
 * The embedded store: one DuckDB file. Rows go through a private staging
 * table (Appender, data chunks) and then an insert of those whose identity is
 * not stored yet; whole files can take the bulk path (bulkStage, bulkPending,
 * bulkCommit). `raw` is compressed with zstd: a sixth of the bytes, and at
 * 10 M events less CPU in all (the kernel time saved on writes outweighs the
 * compression), where DuckDB's own choice (FSST) cost more than parsing. Only new
 * store files get it (createStoreFile); older ones keep their `raw` as it is.
 */
export class DuckDbStore extends SqlStore {
  readonly kind = 'duckdb' as const;
  protected readonly dialect = DUCKDB_DIALECT;
  readonly #conn: DuckDBConnection;
  readonly #instance: DuckDBInstance;
  /** Connections for queries, so the report's independent questions run side by side. */
  readonly #readers: Array<Promise<DuckDBConnection>> = [];
  readonly #reading = new Set<Promise<unknown>>();
  #nextReader = 0;
  readonly #stage: string;
  readonly #queue: { chain: Promise<unknown> };
  #appender: DuckDBAppender | undefined;

  private constructor(instance: DuckDBInstance, conn: DuckDBConnection, stage: string, queue: { chain: Promise<unknown> }) {
    super();
    this.#instance = instance;
    this.#conn = conn;
    this.#stage = stage;
    this.#queue = queue;
  }

  /**
   * Opens (creating if needed) the DuckDB file at `path`. The instance comes
   * from DuckDB's cache, so other modules in this process share the same file.
   */
  static async open(path: string, options: { threads?: number } = {}): Promise<DuckDbStore> {
    if (path !== ':memory:') {
      await mkdir(dirname(path), { recursive: true }).catch((err: unknown) => {
        throw new HoneyscopeError('HS_STORE', `Cannot create the data directory "${dirname(path)}": ${ioReason(err)}`, { cause: err });
      });
    }
    let conn: DuckDBConnection;
    let instance: DuckDBInstance;
    try {
      await createStoreFile(path);
      instance = await DuckDBInstance.fromCache(path);
      conn = await instance.connect();
    } catch (err) {
      const message = errorMessage(err);
      // DuckDB allows one process per file: the usual holder is a running `honeyscope run` or `serve`.
      const hint = /Could not set lock/.test(message) ? ' (a running honeyscope run or serve holds it: use its dashboard and /api, or stop it first)' : '';
      throw new HoneyscopeError('HS_STORE', `Cannot open DuckDB store "${path}": ${message}${hint}`, { cause: err });
    }
    if (options.threads !== undefined) await conn.run(`SET threads = ${Math.max(1, Math.floor(options.threads))}`);
    await conn.run(SCHEMA);
    await openDuckDbRollups(conn);
    const stage = `stage_${randomBytes(6).toString('hex')}`;
    const cols = EVENT_COLUMNS.map((c, i) => `${c} ${STAGE_TYPES[i]?.toString() ?? 'VARCHAR'}`).join(', ');
    await conn.run(`CREATE TEMP TABLE ${stage} (${cols})`);
    let queue = QUEUES.get(path);
    if (queue === undefined) QUEUES.set(path, (queue = { chain: Promise.resolve() }));
    return new DuckDbStore(instance, conn, stage, queue);
  }

  append(rows: readonly EventRow[]): Promise<AppendResult> {
    return this.#serial(() => this.#append(rows));
  }

  async #append(rows: readonly EventRow[]): Promise<AppendResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    this.#appender ??= await this.#conn.createAppender(this.#stage, 'main', 'temp');
    const app = this.#appender;
    let minUs = Infinity;
    let maxUs = -Infinity;
    // Repeats inside the batch are dropped here, cheaper than DISTINCT in SQL.
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      for (let i = 0; i < EVENT_COLUMNS.length; i++) {
        const v = row[EVENT_COLUMNS[i] as EventColumn];
        if (v === null) app.appendNull();
        else if (typeof v === 'string') app.appendVarchar(v);
        else if (STAGE_KINDS[i] === 'int') app.appendInteger(v);
        else app.appendDouble(v);
      }
      app.endRow();
      if (row.ts_us < minUs) minUs = row.ts_us;
      if (row.ts_us > maxUs) maxUs = row.ts_us;
    }
    app.flushSync();
    // No primary key: an ART index makes each insert slower as the table grows. Identity is
    // checked against stored rows in the batch's time range, which zone maps on ts keep small.
    const fresh = `(SELECT ${STAGE_SELECT} FROM ${this.#stage}) s
       WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.ts BETWEEN make_timestamp(CAST($1 AS BIGINT)) AND make_timestamp(CAST($2 AS BIGINT)) AND e.id = s.id)`;
    const inserted = (await this.#conn.run(`INSERT INTO events SELECT * FROM ${fresh}`, [minUs, maxUs])).rowsChanged;
    await this.#conn.run(`DELETE FROM ${this.#stage}`);
    return { inserted, duplicates: rows.length - inserted };
  }

  /**
   * Bulk path, step 1: reads whole files (all gzip or all plain) with DuckDB's
   * own reader into a private staging table, typing in SQL every line whose
   * reading is unambiguous. Until bulkCommit() nothing is stored.
   */
  bulkStage(paths: readonly string[], gzip: boolean): Promise<StagedFile[]> {
    return this.#serial(async () => {
      await this.#conn.run(stageSql(this.#bulk('lines'), paths, gzip));
      await this.#conn.run(resolveOddSql(this.#bulk('lines')));
      const rows = await this.#query(stagedFilesSql(this.#bulk('lines')), []);
      return rows.map((r) => ({ path: String(r.f), rows: Number(r.rows), lines: Number(r.lines), fast: Number(r.fast), bytes: Number(r.bytes) }));
    });
  }

  /** Bulk path, step 2: the staged lines left to JavaScript, and the payload keys to decode. */
  bulkPending(): Promise<{ slow: SlowLine[]; payloadKeys: string[] }> {
    return this.#serial(async () => {
      const staged = this.#bulk('lines');
      const slow = (await this.#query(slowLinesSql(staged), [])).map((r) => ({ path: String(r.f), line: Number(r.line_no), text: String(r.line) }));
      const payloadKeys = (await this.#query(payloadKeysSql(staged), [])).map((r) => String(r.pk));
      return { slow, payloadKeys };
    });
  }

  /**
   * Bulk path, step 3: inserts the staged fast lines not stored yet, with the
   * decoded payload columns, and saves `checkpoints` in the same transaction;
   * returns the rows inserted per file.
   */
  bulkCommit(decoded: readonly DecodedPayloadRow[], checkpoints: readonly IngestCheckpoint[]): Promise<Map<string, number>> {
    return this.#serial(async () => {
      const staged = this.#bulk('lines');
      const fresh = this.#bulk('fresh');
      const payloads = this.#bulk('payloads');
      await this.#conn.run(decodedTableSql(payloads));
      if (decoded.length > 0) {
        const app = await this.#conn.createAppender(payloads, 'main', 'temp');
        for (const d of decoded) {
          for (const v of [d.pk, d.payload_kind, d.http_method, d.http_host, d.http_path, d.http_headers, d.smtp_ehlo, d.tls_sni]) {
            if (v === null) app.appendNull();
            else app.appendVarchar(v);
          }
          app.endRow();
        }
        app.closeSync();
      }
      const range = (await this.#query(`SELECT epoch_us(min(r.ts)) AS lo, epoch_us(max(r.ts)) AS hi, count(*) AS n FROM ${staged} WHERE fast`, []))[0];
      const inserted = new Map<string, number>();
      const any = range?.lo != null && range.hi != null;
      let which: string | undefined;
      if (any) {
        await this.#conn.run(freshSql(fresh, staged, { loUs: Number(range.lo), hiUs: Number(range.hi) }));
        // Usually every fast line is new: then the inserts take them all without joining `fresh`.
        const count = (await this.#query(`SELECT count(*) AS n FROM ${fresh}`, []))[0];
        which = Number(count?.n) === Number(range.n) ? undefined : fresh;
        for (const r of await this.#query(freshPerFileSql(staged, which), [])) inserted.set(String(r.f), Number(r.n));
      }
      // A bulk pass's rows and its checkpoints are stored together or not at all.
      await inTransaction(this.#conn, async () => {
        if (any) await this.#conn.run(insertSql(staged, which, payloads));
        await this.#putCheckpoints(checkpoints);
      });
      return inserted;
    });
  }

  /** Drops what the bulk path staged. */
  bulkDiscard(): Promise<void> {
    return this.#serial(async () => {
      for (const t of ['lines', 'fresh', 'payloads']) await this.#conn.run(`DROP TABLE IF EXISTS temp.main.${this.#bulk(t)}`);
    });
  }

  #bulk(name: string): string {
    return `${this.#stage}_${name}`;
  }

  getCheckpoint(source: string): Promise<IngestCheckpoint | undefined> {
    return this.#serial(async () => {
      const rows = await this.#query('SELECT source, head, byte_offset, line FROM ingest_checkpoints WHERE source = $1', [source]);
      const r = rows[0];
      return r === undefined ? undefined : { source: String(r.source), head: String(r.head), offset: Number(r.byte_offset), line: Number(r.line) };
    });
  }

  putCheckpoint(cp: IngestCheckpoint): Promise<void> {
    return this.#serial(() => this.#putCheckpoints([cp]));
  }

  /** One statement for all of `cps`: a commit per file costs milliseconds, a pass can hold hundreds of files. */
  async #putCheckpoints(all: readonly IngestCheckpoint[]): Promise<void> {
    // One row per source: a statement may not replace the same key twice.
    const cps = [...new Map(all.map((cp) => [cp.source, cp])).values()];
    if (cps.length === 0) return;
    const rows = cps.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}, current_timestamp)`);
    await this.#conn.run(
      `INSERT OR REPLACE INTO ingest_checkpoints VALUES ${rows.join(', ')}`,
      cps.flatMap((cp) => [cp.source, cp.head, cp.offset, cp.line]),
    );
  }

  /**
   * Queries bypass the statement queue: each runs on one of READERS
   * connections and sees what was committed when it started.
   */
  protected all(sql: string, params: readonly unknown[]): Promise<SqlRow[]> {
    const slot = this.#nextReader++ % READERS;
    const conn = (this.#readers[slot] ??= this.#instance.connect());
    const work = conn.then(async (c) => (await c.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS() as SqlRow[]);
    const tracked = work.catch(() => undefined);
    this.#reading.add(tracked);
    void tracked.then(() => this.#reading.delete(tracked));
    return work;
  }

  /**
   * One query streamed on a connection of its own: DuckDB would answer each
   * keyset page by reading every later row again, where one sort serves all.
   */
  override async *rawEvents(filter: EventFilter): AsyncIterable<string> {
    const [where, params] = this.where(filter);
    const conn = await this.#instance.connect();
    try {
      const result = await conn.stream(`SELECT raw FROM events ${where} ORDER BY ts, id`, params as DuckDBValue[]);
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const raw of chunk.getColumnValues(0)) yield String(raw);
      }
    } finally {
      conn.closeSync();
    }
  }

  /** On the writer connection, whose statements and transactions run one at a time. */
  protected refreshRollups(begin: () => void): Promise<void> {
    return this.#serial(async () => {
      begin();
      await refreshDuckDbRollups(this.#conn, this.dialect);
    });
  }

  async #query(sql: string, params: readonly unknown[]): Promise<SqlRow[]> {
    const reader = await this.#conn.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS() as SqlRow[];
  }

  async close(): Promise<void> {
    await this.#queue.chain;
    await Promise.all(this.#reading);
    for (const reader of this.#readers) (await reader).closeSync();
    this.#readers.length = 0;
    this.#appender?.closeSync();
    this.#appender = undefined;
    await this.#conn.run(`DROP TABLE IF EXISTS temp.main.${this.#stage}`);
    for (const t of ['lines', 'fresh', 'payloads']) await this.#conn.run(`DROP TABLE IF EXISTS temp.main.${this.#bulk(t)}`);
    this.#conn.closeSync();
    // This store's hold on the instance: DuckDB closes the file (and its lock) once no holder is left.
    this.#instance.closeSync();
  }


  /**
   * Statements on one file run one at a time, across every store open on it in
   * this process: the identity check and the insert of a batch must not interleave.
   */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.chain.then(work, work);
    this.#queue.chain = next.catch(() => undefined);
    return next;
  }
}
