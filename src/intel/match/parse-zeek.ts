import type { LogRecord, RecordKind } from './log-record.js';

export interface ZeekHeader {
  separator: string;
  unset: string;
  empty: string;
  path: string;
  fields: string[];
}

/** Folds one `#` header line into the header; false when the line is no header line. */
export function readZeekHeaderLine(header: ZeekHeader, line: string): boolean {
  if (!line.startsWith('#')) return false;
  if (line.startsWith('#separator ')) {
    header.separator = line.slice(11).replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } else {
    const tab = line.indexOf(header.separator);
    const key = tab === -1 ? line : line.slice(0, tab);
    const value = tab === -1 ? '' : line.slice(tab + header.separator.length);
    if (key === '#fields') header.fields = value.split(header.separator);
    else if (key === '#path') header.path = value;
    else if (key === '#unset_field') header.unset = value;
    else if (key === '#empty_field') header.empty = value;
  }
  return true;
}

export function emptyZeekHeader(): ZeekHeader {
  return { separator: '\t', unset: '-', empty: '(empty)', path: '', fields: [] };
}

/** The kind of a Zeek log from its path (conn, dns, http, files) or, failing that, its fields. */
export function zeekKind(path: string, has: (field: string) => boolean): RecordKind {
  if (path === 'dns' || (path === '' && has('query'))) return 'dns';
  if (path === 'http' || (path === '' && has('uri'))) return 'http';
  if (path === 'files' || (path === '' && (has('fuid') || has('sha256') || has('md5')))) return 'file';
  return 'flow';
}

/** Zeek `ts`: epoch seconds as a number or text, or ISO 8601 (json-streaming). */
export function zeekTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Positions of the fields matchers read, computed once per header. */
export interface ZeekColumns {
  kind: RecordKind;
  ts: number;
  uid: number;
  origH: number;
  origP: number;
  respH: number;
  respP: number;
  query: number;
  host: number;
  uri: number;
  md5: number;
  sha1: number;
  sha256: number;
  fuid: number;
  mime: number;
  tx: number;
  rx: number;
}

export function zeekColumns(header: ZeekHeader): ZeekColumns {
  const at = (name: string): number => header.fields.indexOf(name);
  return {
    kind: zeekKind(header.path, (f) => header.fields.includes(f)),
    ts: at('ts'),
    uid: at('uid'),
    origH: at('id.orig_h'),
    origP: at('id.orig_p'),
    respH: at('id.resp_h'),
    respP: at('id.resp_p'),
    query: at('query'),
    host: at('host'),
    uri: at('uri'),
    md5: at('md5'),
    sha1: at('sha1'),
    sha256: at('sha256'),
    fuid: at('fuid'),
    mime: at('mime_type'),
    tx: at('tx_hosts'),
    rx: at('rx_hosts'),
  };
}

/** One Zeek TSV data line; a SyntaxError when it does not fit the header. */
export function parseZeekTsvLine(line: string, header: ZeekHeader, cols: ZeekColumns, where: { file: string; line: number }): LogRecord {
  if (header.fields.length === 0) throw new SyntaxError('Cannot parse Zeek log line: expected a #fields header before the first record');
  const values = line.split(header.separator);
  if (values.length !== header.fields.length) {
    throw new SyntaxError(`Cannot parse Zeek log line: expected ${header.fields.length} fields, found ${values.length}`);
  }
  const get = (i: number): string | undefined => {
    if (i === -1) return undefined;
    const v = values[i]!;
    return v === header.unset || v === header.empty ? undefined : v;
  };
  const record: LogRecord = {
    kind: cols.kind,
    format: 'zeek-tsv',
    file: where.file,
    line: where.line,
    raw: line,
    ts: zeekTime(get(cols.ts)),
    uid: get(cols.uid),
    srcIp: get(cols.origH) ?? get(cols.tx)?.split(',')[0],
    srcPort: port(get(cols.origP)),
    dstIp: get(cols.respH) ?? get(cols.rx)?.split(',')[0],
    dstPort: port(get(cols.respP)),
    columns: header.fields,
    values,
  };
  if (cols.kind === 'dns') record.query = get(cols.query);
  else if (cols.kind === 'http') fillHttp(record, get(cols.host), get(cols.uri));
  else if (cols.kind === 'file') fillFile(record, [get(cols.md5), get(cols.sha1), get(cols.sha256)], get(cols.fuid), get(cols.mime));
  return record;
}

/** One Zeek JSON line (plain or json-streaming); unset fields are absent. */
export function parseZeekJsonLine(line: string, where: { file: string; line: number }): LogRecord {
  const fields = parseObject(line);
  const str = (name: string): string | undefined => {
    const v = fields[name];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const first = (name: string): string | undefined => {
    const v = fields[name];
    return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  };
  const kind = zeekKind(str('_path') ?? '', (f) => Object.hasOwn(fields, f));
  const record: LogRecord = {
    kind,
    format: 'zeek-json',
    file: where.file,
    line: where.line,
    raw: line,
    ts: zeekTime(fields.ts),
    uid: str('uid'),
    srcIp: str('id.orig_h') ?? first('tx_hosts'),
    srcPort: port(str('id.orig_p')),
    dstIp: str('id.resp_h') ?? first('rx_hosts'),
    dstPort: port(str('id.resp_p')),
    fields,
  };
  if (kind === 'dns') record.query = str('query');
  else if (kind === 'http') fillHttp(record, str('host'), str('uri'));
  else if (kind === 'file') fillFile(record, [str('md5'), str('sha1'), str('sha256')], str('fuid'), str('mime_type'));
  return record;
}

/** A JSON object line; a SyntaxError for anything else. */
export function parseObject(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new SyntaxError(`Cannot parse JSON line: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('Cannot parse JSON line: expected an object');
  return value as Record<string, unknown>;
}

function fillHttp(record: LogRecord, host: string | undefined, uri: string | undefined): void {
  record.host = host;
  if (host !== undefined && uri !== undefined) record.url = `${host}${uri.startsWith('/') ? '' : '/'}${uri}`;
}

function fillFile(record: LogRecord, hashes: (string | undefined)[], fuid: string | undefined, mime: string | undefined): void {
  record.hashes = hashes.filter((h): h is string => h !== undefined);
  record.fuid = fuid;
  record.mimeType = mime;
}

export function port(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
