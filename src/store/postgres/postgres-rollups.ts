import type pg from 'pg';
import type { SqlDialect } from '../sql-store.js';
import { inTransaction } from './in-transaction.js';
import {
  EVENT_ROLLUPS,
  MULTI_SESSIONS_TABLE,
  ROLLUP_VERSION,
  SESSION_CELLS,
  SESSIONS,
  aggregateSql,
  multiSessionsSql,
  rollupColumns,
  type ColumnType,
  type Rollup,
  type RollupMeasure,
} from '../rollups.js';

const TYPES: Record<ColumnType, string> = { text: 'text', int: 'int4', bigint: 'int8' };
const ALL = [...EVENT_ROLLUPS, SESSION_CELLS];
const TOUCHED = 'pg_temp.rollup_touched';
/** The `events` columns the rollups read. */
const ROLLUP_INPUTS = 'ts, eventid, session, sensor, src_ip, dst_ip, dst_port, username, password, input, url, shasum, payload_kind, http_method, http_host, http_path, http_headers, smtp_ehlo, tls_sni';
const LOCK = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.honeyscope_rollups'))`;
/** Enough for a bulk load's aggregates to stay in memory. */
const REFRESH_WORK_MEM = `SET LOCAL work_mem = '256MB'`;

/**
 * Each rollup row is identified by its day and `k`, a hash of its sensor and
 * keys: NULL-safe, and short where keys are long (headers, commands). SESSIONS
 * is looked up by session, so its key leads with that.
 */
function primaryKey(r: Rollup): string {
  return r === SESSIONS ? 'session, day, k' : 'day, k';
}

function tableSql(r: Rollup): string {
  const cols = [...r.keys, ...r.measures].map((c) => `${c.name} ${TYPES[c.type]}`);
  return `CREATE TABLE IF NOT EXISTS ${r.table} (day date NOT NULL, sensor text${cols.map((c) => `, ${c}`).join('')}, k text NOT NULL, PRIMARY KEY (${primaryKey(r)}))`;
}

/**
 * Every row of `events` records the transaction that inserted it (a column
 * default, so whichever path inserts; a stable one, so COPY keeps its
 * multi-row inserts). The rollups hold the rows of every transaction below
 * the watermark, all finished when it was set. The column may be NULL (a copy
 * `LIKE events` has no default): such rows are never folded, always read.
 */
const XID_COLUMN = `ALTER TABLE events ADD COLUMN ins_xid xid8 DEFAULT pg_current_xact_id()`;
const SCHEMA = `
CREATE INDEX IF NOT EXISTS events_ins_xid ON events (ins_xid);
CREATE TABLE IF NOT EXISTS rollup_state (version int4 NOT NULL, watermark xid8 NOT NULL);
${ALL.map(tableSql).join(';\n')};
CREATE INDEX IF NOT EXISTS rollup_sessions_n ON ${SESSIONS.table} (n DESC, session);
CREATE TABLE IF NOT EXISTS ${MULTI_SESSIONS_TABLE} (LIKE ${SESSIONS.table});
CREATE INDEX IF NOT EXISTS rollup_multi_sessions_session ON ${MULTI_SESSIONS_TABLE} (session);`;

/**
 * Rows of `events` not in the rollups yet (their transaction was at or past
 * the watermark), for queries to add to what the rollups hold. The watermark
 * is read in the query itself, consistent with the rollups it reads; `known`,
 * one it had reached before, lets the planner see how few rows are past it.
 */
export function unfoldedSql(known: string): string {
  if (!/^\d+$/.test(known)) throw new RangeError(`Expected a transaction id but found "${known}"`);
  return `((ins_xid >= '${known}'::xid8 AND ins_xid >= (SELECT watermark FROM rollup_state)) OR ins_xid IS NULL)`;
}

/**
 * Creates the rollups; when they are new or were built by another version,
 * they are emptied and the watermark reset, so the next refresh folds every stored row.
 */
export async function openPostgresRollups(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(LOCK);
    // Checked first: ALTER TABLE would wait for every query on `events`, even with IF NOT EXISTS.
    const hasXid = (await client.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'ins_xid' AND NOT attisdropped`)).rowCount;
    if (hasXid === 0) await client.query(XID_COLUMN);
    await client.query(SCHEMA);
    const version = (await client.query('SELECT version FROM rollup_state')).rows[0]?.version as number | undefined;
    if (version !== ROLLUP_VERSION) {
      await client.query(`TRUNCATE ${MULTI_SESSIONS_TABLE}, ${ALL.map((r) => r.table).join(', ')}`);
      await client.query(`DELETE FROM rollup_state; INSERT INTO rollup_state VALUES (${ROLLUP_VERSION}, '0')`);
    }
  });
}

function mergeSet(m: RollupMeasure): string {
  const fn = { sum: (a: string, b: string) => `${a} + ${b}`, min: (a: string, b: string) => `least(${a}, ${b})`, max: (a: string, b: string) => `greatest(${a}, ${b})` }[m.merge];
  return `${m.name} = ${fn(`t.${m.name}`, `excluded.${m.name}`)}`;
}

function upsert(r: Rollup, delta: string): string {
  const cols = rollupColumns(r);
  const key = `md5(ROW(${['sensor', ...r.keys.map((k) => k.name)].join(', ')})::text)`;
  return `INSERT INTO ${r.table} AS t (${cols.join(', ')}, k) SELECT ${cols.join(', ')}, ${key} FROM ${delta}
    ON CONFLICT (${primaryKey(r)}) DO UPDATE SET ${r.measures.map(mergeSet).join(', ')}`;
}

/**
 * One statement: aggregates the rows of the transactions from the watermark
 * `$2` to `$1` (all finished) per rollup and adds them in. Its parts all read the
 * rollups as they were before it, which is what finding new session cells needs.
 */
function refreshSql(dialect: SqlDialect): string {
  const delta = (r: Rollup): string => `d_${r.table}`;
  const parts = [`fresh AS MATERIALIZED (SELECT ${ROLLUP_INPUTS} FROM events WHERE ins_xid >= $2::xid8 AND ins_xid < $1::xid8)`];
  for (const r of EVENT_ROLLUPS) parts.push(`${delta(r)} AS (${aggregateSql(r, dialect, 'fresh')})`);
  parts.push(`${delta(SESSION_CELLS)} AS (SELECT day, sensor, count(*) AS sessions FROM ${delta(SESSIONS)} d
    WHERE NOT EXISTS (SELECT 1 FROM ${SESSIONS.table} r WHERE r.session = d.session AND r.day = d.day AND r.sensor IS NOT DISTINCT FROM d.sensor)
    GROUP BY day, sensor)`);
  for (const r of ALL) parts.push(`u_${r.table} AS (${upsert(r, delta(r))})`);
  // The sessions touched, for the statements after this one (which see the merged SESSIONS).
  parts.push(`u_touched AS (INSERT INTO ${TOUCHED} SELECT DISTINCT session FROM ${delta(SESSIONS)})`);
  parts.push(`u_state AS (UPDATE rollup_state SET watermark = $1::xid8)`);
  return `WITH ${parts.join(',\n')} SELECT count(*) AS n FROM fresh`;
}

let cachedSql: string | undefined;

/** The tables a bulk load leaves without planner statistics. */
export const ROLLUP_TABLES = [...ALL.map((r) => r.table), MULTI_SESSIONS_TABLE];

/** Rows folded at once past which the rollups' statistics are renewed. */
const BULK_ROWS = 50_000;

/**
 * Folds the rows of every transaction finished before this call into the
 * rollups; one refresher at a time per schema, across processes. Returns the watermark.
 */
export async function refreshPostgresRollups(pool: pg.Pool, dialect: SqlDialect, begin: () => void): Promise<string> {
  let folded = 0;
  const watermark = await inTransaction(pool, async (client) => {
    await client.query(LOCK);
    begin();
    // Every transaction below the snapshot's xmin has finished: its rows are all visible now, or never will be.
    const state = (await client.query('SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon, watermark FROM rollup_state')).rows[0] as
      | { horizon: string; watermark: string }
      | undefined;
    if (state === undefined || BigInt(state.horizon) <= BigInt(state.watermark)) return state?.watermark ?? '0';
    await client.query(REFRESH_WORK_MEM);
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS rollup_touched (session text) ON COMMIT DELETE ROWS`);
    folded = Number((await client.query((cachedSql ??= refreshSql(dialect)), [state.horizon, state.watermark])).rows[0]?.n ?? 0);
    for (const sql of multiSessionsSql(TOUCHED)) await client.query(sql);
    return state.horizon;
  });
  // A bulk load changes the rollups' sizes past what the planner last saw.
  if (folded >= BULK_ROWS) await pool.query(`ANALYZE ${ROLLUP_TABLES.join(', ')}`);
  return watermark;
}
