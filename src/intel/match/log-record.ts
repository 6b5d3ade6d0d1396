/** The log formats the readers understand, detected by content. */
export const LOG_FORMATS = ['zeek-tsv', 'zeek-json', 'silk', 'csv', 'bind', 'access', 'cowrie'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What a record describes: alert rules select on it. */
export type RecordKind = 'flow' | 'dns' | 'http' | 'file' | 'tunnel' | 'event';

/**
 * One record from any log, with the values matchers look at lifted out.
 * Everything else stays in `columns`/`values` (tabular logs) or `fields` (JSON).
 */
export interface LogRecord {
  kind: RecordKind;
  format: LogFormat;
  file: string;
  line: number;
  /** The line as read, for printing the matched record. */
  raw: string;
  /** Epoch seconds. */
  ts?: number | undefined;
  uid?: string | undefined;
  srcIp?: string | undefined;
  srcPort?: number | undefined;
  dstIp?: string | undefined;
  dstPort?: number | undefined;
  /** A DNS query name, or a tunnel destination given as a name. */
  query?: string | undefined;
  /** An HTTP Host header or TLS server name. */
  host?: string | undefined;
  /** An HTTP URL or download URL. */
  url?: string | undefined;
  hashes?: string[] | undefined;
  fuid?: string | undefined;
  mimeType?: string | undefined;
  columns?: readonly string[] | undefined;
  /** The cells of a tabular line; left out when `separator` is set, and split from `raw` on demand. */
  values?: readonly string[] | undefined;
  separator?: string | undefined;
  fields?: Readonly<Record<string, unknown>> | undefined;
}

const LIFTED: Record<string, keyof LogRecord> = {
  kind: 'kind',
  ts: 'ts',
  uid: 'uid',
  src_ip: 'srcIp',
  src_port: 'srcPort',
  dst_ip: 'dstIp',
  dst_port: 'dstPort',
  query: 'query',
  host: 'host',
  url: 'url',
};

/** A field by its log name (`id.orig_h`, `eventid`, `verdict`) or a lifted name (`src_ip`, `query`). */
export function recordField(record: LogRecord, name: string): unknown {
  if (record.fields && Object.hasOwn(record.fields, name)) return record.fields[name];
  if (record.columns) {
    const i = record.columns.indexOf(name);
    const values = record.values ?? (record.separator !== undefined ? record.raw.split(record.separator) : undefined);
    if (i !== -1 && values) return values[i];
  }
  const lifted = LIFTED[name];
  return lifted === undefined ? undefined : record[lifted];
}
