import type { MetaFields } from '../../intel/intel-store.js';
import { isIndicatorType, type IntelItem, type IntelMeta, type IntelRecord } from '../../intel/indicator.js';

/** Columns of the intel_indicators table, in order (both stores). */
export const INTEL_COLUMNS = ['type', 'indicator', 'source', 'pulse_id', 'pulse_name', 'author', 'description', 'url', 'tags', 'tlp', 'first_seen', 'last_seen', 'expires', 'active'] as const;

/** The columns each metadata level reads; the others come back NULL (and `active` true). */
export const META_COLUMNS: Record<MetaFields, ReadonlySet<string>> = {
  full: new Set(INTEL_COLUMNS),
  describe: new Set(['type', 'indicator', 'source', 'pulse_id', 'pulse_name', 'author', 'description', 'url']),
  sources: new Set(['type', 'indicator', 'source', 'pulse_id']),
};

/** The select list of a metadata level, in INTEL_COLUMNS order; `column` may rewrite a column that is read. */
export function selectColumns(level: MetaFields, column: (name: string) => string = (name) => name): string {
  const read = META_COLUMNS[level];
  return INTEL_COLUMNS.map((c) => (read.has(c) ? column(c) : c === 'active' ? 'true AS active' : `NULL AS ${c}`)).join(', ');
}

export type IntelRow = [string, string, string, string, string | null, string | null, string | null, string | null, string | null, string | null, number | null, number | null, number | null, boolean];

export function recordToRow(r: IntelRecord): IntelRow {
  const m = r.meta;
  return [
    r.type, r.indicator, m.source, m.pulseId, m.pulseName ?? null, m.author ?? null, m.description ?? null, m.url ?? null,
    m.tags && m.tags.length > 0 ? JSON.stringify(m.tags) : null, m.tlp ?? null,
    m.firstSeen ?? null, m.lastSeen ?? null, m.expires ?? null, m.active,
  ];
}

/** Metadata from a row read back (column order as INTEL_COLUMNS; BIGINTs may come as bigint or string). */
export function rowToMeta(row: readonly unknown[]): IntelMeta {
  const meta: IntelMeta = { source: String(row[2]), pulseId: String(row[3]), active: row[13] !== false };
  // Plain ifs, not a helper: this runs once per row of every export.
  if (row[4] !== null && row[4] !== undefined) meta.pulseName = String(row[4]);
  if (row[5] !== null && row[5] !== undefined) meta.author = String(row[5]);
  if (row[6] !== null && row[6] !== undefined) meta.description = String(row[6]);
  if (row[7] !== null && row[7] !== undefined) meta.url = String(row[7]);
  if (row[8] !== null && row[8] !== undefined) meta.tags = JSON.parse(String(row[8])) as string[];
  if (row[9] !== null && row[9] !== undefined) meta.tlp = String(row[9]);
  if (row[10] !== null && row[10] !== undefined) meta.firstSeen = Number(row[10]);
  if (row[11] !== null && row[11] !== undefined) meta.lastSeen = Number(row[11]);
  if (row[12] !== null && row[12] !== undefined) meta.expires = Number(row[12]);
  return meta;
}

/**
 * Groups rows ordered by (type, indicator, source, pulse_id) into items, a
 * batch of items per batch of rows; an item whose rows may go on in the next
 * batch waits for it.
 */
export async function* groupRows(batches: AsyncIterable<readonly (readonly unknown[])[]> | Iterable<readonly (readonly unknown[])[]>): AsyncGenerator<IntelItem[]> {
  let current: IntelItem | undefined;
  for await (const rows of batches) {
    const done: IntelItem[] = [];
    for (const row of rows) {
      const type = String(row[0]);
      const indicator = String(row[1]);
      if (current && current.type === type && current.indicator === indicator) {
        current.meta.push(rowToMeta(row));
        continue;
      }
      if (current) done.push(current);
      if (!isIndicatorType(type)) throw new TypeError(`Unknown indicator type "${type}" in the intel store for "${indicator}"`);
      current = { indicator, type, meta: [rowToMeta(row)] };
    }
    if (done.length > 0) yield done;
  }
  if (current) yield [current];
}

/** Batches of `size` rows from records, keeping the last of duplicate keys in a batch. */
export async function* rowBatches(records: Iterable<IntelRecord> | AsyncIterable<IntelRecord>, size: number): AsyncGenerator<IntelRow[]> {
  let batch = new Map<string, IntelRow>();
  for await (const r of records) {
    const row = recordToRow(r);
    batch.set(`${row[0]}\u0000${row[1]}\u0000${row[2]}\u0000${row[3]}`, row);
    if (batch.size >= size) {
      yield [...batch.values()];
      batch = new Map();
    }
  }
  if (batch.size > 0) yield [...batch.values()];
}
