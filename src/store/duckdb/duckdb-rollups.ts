import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlDialect } from '../sql-store.js';
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
} from '../rollups.js';
import { inTransaction } from './in-transaction.js';

/** A fold of at least this many rows checkpoints the store file when it has committed. */
const CHECKPOINT_AFTER_ROWS = 100_000;

const TYPES: Record<ColumnType, string> = { text: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT' };
const ALL = [...EVENT_ROLLUPS, SESSION_CELLS];

function tableSql(r: Rollup): string {
  const cols = [...r.keys, ...r.measures].map((c) => `${c.name} ${TYPES[c.type]}`);
  return `CREATE TABLE IF NOT EXISTS ${r.table} (day DATE NOT NULL, sensor VARCHAR${cols.map((c) => `, ${c}`).join('')})`;
}

/**
 * Creates the rollup tables; a store whose rollups were built by another
 * version has them emptied, so the next refresh rebuilds them from `events`.
 */
export async function openDuckDbRollups(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS rollup_state (version INTEGER NOT NULL, watermark BIGINT NOT NULL);
    ${ALL.map(tableSql).join(';\n')};
    CREATE TABLE IF NOT EXISTS ${MULTI_SESSIONS_TABLE} AS FROM ${SESSIONS.table} LIMIT 0`);
  const state = (await conn.runAndReadAll('SELECT version FROM rollup_state')).getRowObjectsJS()[0];
  if (state?.version === ROLLUP_VERSION) return;
  await inTransaction(conn, async () => {
    for (const r of ALL) await conn.run(`DROP TABLE ${r.table}; ${tableSql(r)}`);
    await conn.run(`DROP TABLE ${MULTI_SESSIONS_TABLE}; CREATE TABLE ${MULTI_SESSIONS_TABLE} AS FROM ${SESSIONS.table} LIMIT 0; DELETE FROM rollup_state; INSERT INTO rollup_state VALUES (${ROLLUP_VERSION}, -1)`);
  });
}

/** Adds temp table `delta` (rows of `r`) into `r`: cells it shares with `r` are updated, the others inserted. */
async function merge(conn: DuckDBConnection, r: Rollup, delta: string): Promise<void> {
  const cols = rollupColumns(r);
  // `day` is never NULL: a plain equality lets DuckDB skip rollup rows outside the delta's days.
  const match = ['d.day = r.day', ...['sensor', ...r.keys.map((k) => k.name)].map((k) => `d.${k} IS NOT DISTINCT FROM r.${k}`)].join(' AND ');
  const set = r.measures.map((m) => `${m.name} = ${{ sum: `r.${m.name} + d.${m.name}`, min: `least(r.${m.name}, d.${m.name})`, max: `greatest(r.${m.name}, d.${m.name})` }[m.merge]}`);
  await conn.run(`UPDATE ${r.table} r SET ${set.join(', ')} FROM ${delta} d WHERE ${match}`);
  // In day order, so the zone maps on `day` keep the next merges' joins to the days they touch.
  await conn.run(`INSERT INTO ${r.table} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${delta} d WHERE NOT EXISTS (SELECT 1 FROM ${r.table} r WHERE ${match}) ORDER BY day`);
}

/**
 * Folds the `events` rows past the watermark (the highest rowid folded) into
 * the rollups, in one transaction on `conn`. DuckDB numbers rows as they are
 * committed, so every row past the watermark is new, whichever path wrote it.
 */
export async function refreshDuckDbRollups(conn: DuckDBConnection, dialect: SqlDialect): Promise<void> {
  let folded = 0;
  await inTransaction(conn, async () => {
    const watermark = Number((await conn.runAndReadAll('SELECT watermark FROM rollup_state')).getRowObjectsJS()[0]?.watermark ?? -1);
    // One pass over the row numbers (no data read): the newest, and whether the row at the watermark is still there.
    const look = (await conn.runAndReadAll(`SELECT max(rowid) AS hi, count(*) FILTER (WHERE rowid = ${watermark}) AS kept FROM events WHERE rowid >= ${watermark}`)).getRowObjectsJS()[0];
    let from = watermark;
    let to = look?.hi == null ? watermark : Number(look.hi);
    // The row at the watermark is gone: `events` was rewritten (renumbered), so everything is folded again.
    if (watermark >= 0 && Number(look?.kept ?? 0) === 0) {
      for (const table of [...ALL.map((r) => r.table), MULTI_SESSIONS_TABLE]) await conn.run(`DELETE FROM ${table}`);
      await conn.run('UPDATE rollup_state SET watermark = -1');
      from = -1;
      to = Number((await conn.runAndReadAll('SELECT max(rowid) AS hi FROM events')).getRowObjectsJS()[0]?.hi ?? -1);
    }
    if (to > from) {
      folded = to - from;
      const source = `(SELECT * FROM events WHERE rowid > ${from} AND rowid <= ${to})`;
      const delta = (r: Rollup): string => `temp.main.${r.table}_delta`;
      const changed: Rollup[] = [];
      for (const r of EVENT_ROLLUPS) {
        // CREATE TABLE AS answers with the rows it wrote.
        const created = await conn.runAndReadAll(`CREATE TEMP TABLE ${r.table}_delta AS ${aggregateSql(r, dialect, source)}`);
        if (Number(created.getRows()[0]?.[0] ?? 0) > 0) changed.push(r);
      }
      // New (day, sensor, session) cells, found before SESSIONS is merged.
      await conn.run(`CREATE TEMP TABLE ${SESSION_CELLS.table}_delta AS
        SELECT day, sensor, count(*) AS sessions FROM ${delta(SESSIONS)} d
        WHERE NOT EXISTS (SELECT 1 FROM ${SESSIONS.table} r WHERE r.session = d.session AND r.day = d.day AND r.sensor IS NOT DISTINCT FROM d.sensor)
        GROUP BY day, sensor`);
      for (const r of [...changed, SESSION_CELLS]) await merge(conn, r, delta(r));
      for (const sql of multiSessionsSql(delta(SESSIONS))) await conn.run(sql);
      for (const r of ALL) await conn.run(`DROP TABLE ${delta(r)}`);
      await conn.run(`UPDATE rollup_state SET watermark = ${to}`);
    }
  });
  if (folded < CHECKPOINT_AFTER_ROWS) return;
  // Until a checkpoint, a large fold's rows stay in DuckDB's log and memory uncompressed: at 10 M events the
  // reports that followed a bulk load took a quarter longer (p50). The checkpoint fails while another connection
  // has a transaction open; DuckDB's own (at 16 MB of log) then comes later.
  await conn.run('CHECKPOINT').catch(() => undefined);
}
