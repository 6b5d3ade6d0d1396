import { isIndicatorType, type IntelItem, type IntelMeta, type IntelRecord } from '../../intel/indicator.js';

/** Columns of the intel_indicators table, in order (both stores). */
export const INTEL_COLUMNS = ['type', 'indicator', 'source', 'pulse_id', 'pulse_name', 'author', 'description', 'url', 'tags', 'tlp', 'first_seen', 'last_seen', 'expires', 'active'] as const;

export type IntelRow = [string, string, string, string, string | null, string | null, string | null, string | null, string | null, string | null, number | null, number | null, number | null, boolean];

export function recordToRow(r: IntelRecord): IntelRow {
  const m = r.meta;
  return [
    r.type, r.indicator, m.source, m.pulseId, m.pulseName ?? null, m.author ?? null, m.description ?? null, m.url ?? null,
    m.tags && m.tags.length > 0 ? JSON.stringify(m.tags) : null, m.tlp ?? null,
    m.firstSeen ?? null, m.lastSeen ?? null, m.expires ?? null, m.active,
  ];
}

function num(v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  return Number(v);
}

function str(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

/** Metadata from a row read back (column order as INTEL_COLUMNS; BIGINTs may come as bigint or string). */
export function rowToMeta(row: readonly unknown[]): IntelMeta {
  const meta: IntelMeta = { source: String(row[2]), pulseId: String(row[3]), active: row[13] === true };
  const set = <K extends keyof IntelMeta>(key: K, value: IntelMeta[K] | undefined): void => {
    if (value !== undefined) meta[key] = value;
  };
  set('pulseName', str(row[4]));
  set('author', str(row[5]));
  set('description', str(row[6]));
  set('url', str(row[7]));
  set('tags', row[8] === null || row[8] === undefined ? undefined : (JSON.parse(String(row[8])) as string[]));
  set('tlp', str(row[9]));
  set('firstSeen', num(row[10]));
  set('lastSeen', num(row[11]));
  set('expires', num(row[12]));
  return meta;
}

/** Groups rows ordered by (type, indicator, source, pulse_id) into items. */
export async function* groupRows(batches: AsyncIterable<readonly (readonly unknown[])[]> | Iterable<readonly (readonly unknown[])[]>): AsyncGenerator<IntelItem> {
  let current: IntelItem | undefined;
  for await (const rows of batches) {
    for (const row of rows) {
      const type = String(row[0]);
      const indicator = String(row[1]);
      if (current && current.type === type && current.indicator === indicator) {
        current.meta.push(rowToMeta(row));
        continue;
      }
      if (current) yield current;
      if (!isIndicatorType(type)) throw new TypeError(`Unknown indicator type "${type}" in the intel store for "${indicator}"`);
      current = { indicator, type, meta: [rowToMeta(row)] };
    }
  }
  if (current) yield current;
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
