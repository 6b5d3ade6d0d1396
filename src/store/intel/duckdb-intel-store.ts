import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { HoneyscopeError } from '../../lib/errors.js';
import type { IntelItem } from '../../intel/indicator.js';
import type { IntelStats, IntelStore, ItemQuery, RecordSource } from '../../intel/intel-store.js';
import { groupRows, INTEL_COLUMNS, META_COLUMNS, rowBatches, type IntelRow } from './intel-row.js';
import { inTransaction } from '../duckdb/in-transaction.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS intel_indicators (
  type VARCHAR NOT NULL, indicator VARCHAR NOT NULL, source VARCHAR NOT NULL, pulse_id VARCHAR NOT NULL,
  pulse_name VARCHAR, author VARCHAR, description VARCHAR, url VARCHAR, tags VARCHAR, tlp VARCHAR,
  first_seen BIGINT, last_seen BIGINT, expires BIGINT, active BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS intel_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE intel_staging AS SELECT * FROM intel_indicators LIMIT 0;
`;
const KEY_MATCH = 'm.type = s.type AND m.indicator = s.indicator AND m.source = s.source AND m.pulse_id = s.pulse_id';
const COLS = INTEL_COLUMNS.join(', ');
const BATCH = 50_000;
const ORDER = 'type, indicator, source, pulse_id';
/** intel_state's `layout`: the table is kept in ORDER. */
const LAYOUT = 'clustered';

/**
 * The intel store in the embedded DuckDB file (shared with the events store
 * through DuckDBInstance.fromCache). Bulk data crosses the Node/DuckDB
 * boundary as files in a private temp directory (COPY FROM JSON lines, COPY
 * TO tab-separated CSV): converting values one by one through the binding
 * costs several microseconds each, far more than DuckDB's own readers and
 * writers. Upserts load a temp staging table and merge with one
 * delete + insert, far faster than per-row ON CONFLICT for a million rows,
 * so the table carries no index.
 */
export async function openDuckDbIntelStore(path: string): Promise<IntelStore> {
  let conn: DuckDBConnection;
  // Held until close: once DuckDB's cached instance is garbage-collected, opening the same file again in this process hangs.
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.fromCache(path);
    conn = await instance.connect();
    await conn.run(SCHEMA);
  } catch (err) {
    throw new HoneyscopeError('HS_STORE', `Cannot open the intel store "${path}": ${(err as Error).message}`, { cause: err });
  }


  async function stage(records: RecordSource): Promise<number> {
    let count = 0;
    const dir = await mkdtemp(join(tmpdir(), 'hs-intel-stage-'));
    try {
      const file = join(dir, 'batch.ndjson');
      for await (const rows of rowBatches(records, BATCH)) {
        await writeRows(file, rows);
        await conn.run('DELETE FROM intel_staging');
        await conn.run(`COPY intel_staging FROM ${literal(file)} (FORMAT json)`);
        await conn.run(`UPDATE intel_staging s SET first_seen = least(coalesce(s.first_seen, m.first_seen), coalesce(m.first_seen, s.first_seen))
          FROM intel_indicators m WHERE ${KEY_MATCH}`);
        await conn.run(`DELETE FROM intel_indicators m USING intel_staging s WHERE ${KEY_MATCH}`);
        await conn.run(`INSERT INTO intel_indicators SELECT ${COLS} FROM intel_staging`);
        count += rows.length;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return count;
  }

  /**
   * Rewrites the table in item order (type, indicator, source, pulse id), once
   * per write: exports then read it without a sort, which cost them more than
   * everything else. Deleting rows keeps the order, so removePulses needs none.
   */
  async function cluster(): Promise<void> {
    await conn.run(`CREATE OR REPLACE TABLE intel_indicators AS SELECT * FROM intel_indicators ORDER BY ${ORDER}`);
    await conn.run(`INSERT OR REPLACE INTO intel_state VALUES ('layout', '${LAYOUT}')`);
  }

  try {
    const layout = await conn.runAndReadAll(`SELECT value FROM intel_state WHERE key = 'layout'`);
    // A store written before the table was kept in order.
    if (layout.getRows()[0]?.[0] !== LAYOUT) await inTransaction(conn, cluster);
  } catch (err) {
    throw new HoneyscopeError('HS_STORE', `Cannot open the intel store "${path}": ${(err as Error).message}`, { cause: err });
  }

  const store: IntelStore = {
    async upsert(records) {
      return inTransaction(conn, async () => {
        const count = await stage(records);
        await cluster();
        return count;
      });
    },
    async replaceSource(source, records) {
      return inTransaction(conn, async () => {
        await conn.run('DELETE FROM intel_indicators WHERE source = ?', [source]);
        const count = await stage(records);
        await cluster();
        return count;
      });
    },
    async removePulses(source, pulseIds) {
      if (pulseIds.length === 0) return 0;
      const result = await conn.run(`DELETE FROM intel_indicators WHERE source = ? AND pulse_id IN (${pulseIds.map(() => '?').join(', ')})`, [source, ...pulseIds]);
      return result.rowsChanged;
    },
    itemBatches(query: ItemQuery = {}): AsyncIterable<IntelItem[]> {
      return groupRows(copyRows(conn, query));
    },
    async lookup(indicator) {
      const items: IntelItem[] = [];
      const r = await conn.runAndReadAll(`SELECT ${COLS} FROM intel_indicators WHERE indicator = ? ORDER BY ${ORDER}`, [indicator]);
      for await (const batch of groupRows([r.getRows()])) items.push(...batch);
      return items;
    },
    async stats(): Promise<IntelStats> {
      const total = await conn.runAndReadAll('SELECT count(*) FROM (SELECT DISTINCT type, indicator FROM intel_indicators)');
      const byType = await conn.runAndReadAll('SELECT type, count(DISTINCT indicator) FROM intel_indicators GROUP BY type ORDER BY type');
      const bySource = await conn.runAndReadAll('SELECT source, count(*) FROM (SELECT DISTINCT source, type, indicator FROM intel_indicators) GROUP BY source ORDER BY source');
      return {
        total: Number(total.getRows()[0]?.[0] ?? 0),
        byType: Object.fromEntries(byType.getRows().map(([k, v]) => [String(k), Number(v)])),
        bySource: Object.fromEntries(bySource.getRows().map(([k, v]) => [String(k), Number(v)])),
      };
    },
    async getState(key) {
      const r = await conn.runAndReadAll('SELECT value FROM intel_state WHERE key = ?', [key]);
      const v = r.getRows()[0]?.[0];
      return v === undefined || v === null ? undefined : String(v);
    },
    async setState(key, value) {
      await conn.run('INSERT OR REPLACE INTO intel_state VALUES (?, ?)', [key, value]);
    },
    async close() {
      conn.closeSync();
      instance = undefined;
    },
  };
  return store;
}

/** A SQL string literal (COPY takes no parameters). */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function writeRows(file: string, rows: readonly IntelRow[]): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (const row of rows) {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < INTEL_COLUMNS.length; i++) o[INTEL_COLUMNS[i]!] = i >= 10 && i < 13 && row[i] !== null ? Math.round(row[i] as number) : row[i];
    buf += `${JSON.stringify(o)}\n`;
    if (buf.length >= 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function whereClause(query: ItemQuery): string {
  const parts: string[] = [];
  if (query.types) parts.push(query.types.length === 0 ? 'false' : `type IN (${query.types.map(literal).join(', ')})`);
  if (query.sources) parts.push(query.sources.length === 0 ? 'false' : `source IN (${query.sources.map(literal).join(', ')})`);
  if (query.activeAt !== undefined) parts.push(`active AND (expires IS NULL OR expires > ${Math.floor(query.activeAt)})`);
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

/**
 * Rows as tab-separated CSV written by DuckDB, read back in batches: much
 * cheaper than converting values through the binding, or JSON. DuckDB quotes
 * a field holding a tab, quote or newline, and an empty string (NULL stays
 * unquoted and empty); such records are parsed in full, possibly over several
 * lines. An empty pulse id goes out as NULL so the common case needs no quotes.
 * Only the columns of the query's metadata level are read. No ORDER BY: the
 * table is kept in item order (see {@link cluster}) and a filtered scan keeps it.
 */
async function* copyRows(conn: DuckDBConnection, query: ItemQuery): AsyncGenerator<unknown[][]> {
  const read = META_COLUMNS[query.metaFields ?? 'full'];
  const positions = INTEL_COLUMNS.flatMap((c, i) => (read.has(c) ? [i] : []));
  const cols = positions.map((i) => (INTEL_COLUMNS[i] === 'pulse_id' ? "nullif(pulse_id, '')" : INTEL_COLUMNS[i])).join(', ');
  let pending: string | undefined;
  yield* copyLines(conn, `SELECT ${cols} FROM intel_indicators ${whereClause(query)}`, "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '\"', ESCAPE '\"')", function parse(lines) {
    const rows: unknown[][] = [];
    for (const line of lines) {
      pending = pending === undefined ? line : `${pending}\n${line}`;
      if (pending === '') continue;
      const row: unknown[] = [null, null, null, '', null, null, null, null, null, null, null, null, null, true];
      if (pending.indexOf('"') !== -1) {
        if (countQuotes(pending) % 2 === 1) continue;
        // Quoted: an unquoted empty cell is NULL, a quoted one the empty string.
        const c = splitQuoted(pending);
        for (let k = 0; k < positions.length; k++) setCell(row, positions[k]!, c[k] ?? null);
      } else {
        // The common case, cut in place: an empty cell is NULL.
        let from = 0;
        for (let k = 0; k < positions.length; k++) {
          const tab = pending.indexOf('\t', from);
          const end = tab === -1 ? pending.length : tab;
          if (end > from) setCell(row, positions[k]!, pending.slice(from, end));
          if (tab === -1) break;
          from = tab + 1;
        }
      }
      pending = undefined;
      rows.push(row);
    }
    return rows;
  });
}

/** Puts a cell read back into its INTEL_COLUMNS position, typed. */
function setCell(row: unknown[], i: number, cell: string | null): void {
  if (i === 13) row[i] = cell === 'true';
  else if (i >= 10) row[i] = num(cell);
  else if (cell !== null) row[i] = cell;
}

function unquoted(cell: string): string | null {
  return cell === '' ? null : cell;
}

function num(cell: string | null | undefined): number | null {
  return cell === null || cell === undefined ? null : Number(cell);
}


function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n += 1;
  return n;
}

/** A tab-separated record with RFC 4180 quoting (quotes doubled inside quoted fields). */
function splitQuoted(record: string): Array<string | null> {
  const cells: Array<string | null> = [];
  let i = 0;
  while (i <= record.length) {
    if (record[i] === '"') {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q === -1) throw new SyntaxError(`Cannot parse DuckDB CSV record ${JSON.stringify(record)}: unterminated quote`);
        cell += record.slice(j, q);
        if (record[q + 1] === '"') {
          cell += '"';
          j = q + 2;
        } else {
          i = q + 2;
          break;
        }
      }
      cells.push(cell);
    } else {
      const tab = record.indexOf('\t', i);
      const end = tab === -1 ? record.length : tab;
      cells.push(unquoted(record.slice(i, end)));
      i = end + 1;
    }
  }
  return cells;
}

/** Runs COPY (query) TO a private temp file and yields the rows `parse` makes of its lines, in batches. */
async function* copyLines(
  conn: DuckDBConnection,
  query: string,
  format: string,
  parse: (lines: string[]) => unknown[][],
): AsyncGenerator<unknown[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-intel-items-'));
  try {
    const file = join(dir, 'items.out');
    await conn.run(`COPY (${query}) TO ${literal(file)} ${format}`);
    let rest = '';
    // Whole chunks split by hand: readline's per-line events cost more than the parsing.
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 18 })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop() ?? '';
      const batch = parse(lines);
      if (batch.length > 0) yield batch;
    }
    const last = parse(rest === '' ? [] : [rest]);
    if (last.length > 0) yield last;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
