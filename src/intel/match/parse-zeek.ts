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

const SLOT = {
  ts: 0, uid: 1, origH: 2, origP: 3, respH: 4, respP: 5, query: 6, host: 7, uri: 8,
  md5: 9, sha1: 10, sha256: 11, fuid: 12, mime: 13, tx: 14, rx: 15,
} as const;
const SLOT_COUNT = 16;
// Reused by every call (parsing is synchronous): one allocation fewer per line.
const SCRATCH: (string | undefined)[] = new Array<string | undefined>(SLOT_COUNT).fill(undefined);
const SLOT_FIELDS: Record<keyof typeof SLOT, string> = {
  ts: 'ts', uid: 'uid', origH: 'id.orig_h', origP: 'id.orig_p', respH: 'id.resp_h', respP: 'id.resp_p', query: 'query', host: 'host', uri: 'uri',
  md5: 'md5', sha1: 'sha1', sha256: 'sha256', fuid: 'fuid', mime: 'mime_type', tx: 'tx_hosts', rx: 'rx_hosts',
};

/** What a header means for parsing, computed once per header: the kind, and for each field the slot it fills (-1: none). */
export interface ZeekColumns {
  kind: RecordKind;
  slots: Int8Array;
  /** The last field that fills a slot. */
  last: number;
}

export function zeekColumns(header: ZeekHeader): ZeekColumns {
  const slots = new Int8Array(header.fields.length).fill(-1);
  for (const [key, slot] of Object.entries(SLOT)) {
    const i = header.fields.indexOf(SLOT_FIELDS[key as keyof typeof SLOT]);
    if (i !== -1) slots[i] = slot;
  }
  let last = -1;
  for (let i = 0; i < slots.length; i++) if (slots[i] !== -1) last = i;
  return { kind: zeekKind(header.path, (f) => header.fields.includes(f)), slots, last };
}

/**
 * One Zeek TSV data line; a SyntaxError when it does not fit the header.
 * Only the cells matchers read are cut out (one pass of indexOf): splitting
 * all twenty-odd cells of every conn.log line would cost more than the match.
 * `counted`: the caller has checked the field count, so reading stops after
 * the last cell a matcher reads.
 */
export function parseZeekTsvLine(line: string, header: ZeekHeader, cols: ZeekColumns, where: { file: string; line: number }, counted = false): LogRecord {
  const count = header.fields.length;
  if (count === 0) throw new SyntaxError('Cannot parse Zeek log line: expected a #fields header before the first record');
  const wanted = cols.slots;
  const cells = SCRATCH;
  cells.fill(undefined);
  const sep = header.separator;
  let start = 0;
  let field = 0;
  for (;;) {
    const end = line.indexOf(sep, start);
    const slot = field < wanted.length ? wanted[field]! : -1;
    if (slot !== -1) {
      const v = line.slice(start, end === -1 ? line.length : end);
      cells[slot] = v === header.unset || v === header.empty ? undefined : v;
    }
    field++;
    if (end === -1 || (counted && field > cols.last)) break;
    start = end + sep.length;
  }
  if (!counted && field !== count) throw new SyntaxError(`Cannot parse Zeek log line: expected ${count} fields, found ${field}`);
  const record: LogRecord = {
    kind: cols.kind,
    format: 'zeek-tsv',
    file: where.file,
    line: where.line,
    raw: line,
    ts: zeekTime(cells[SLOT.ts]),
    uid: cells[SLOT.uid],
    srcIp: cells[SLOT.origH] ?? cells[SLOT.tx]?.split(',')[0],
    srcPort: port(cells[SLOT.origP]),
    dstIp: cells[SLOT.respH] ?? cells[SLOT.rx]?.split(',')[0],
    dstPort: port(cells[SLOT.respP]),
    columns: header.fields,
    separator: sep,
  };
  if (cols.kind === 'dns') record.query = cells[SLOT.query];
  else if (cols.kind === 'http') fillHttp(record, cells[SLOT.host], cells[SLOT.uri]);
  else if (cols.kind === 'file') fillFile(record, [cells[SLOT.md5], cells[SLOT.sha1], cells[SLOT.sha256]], cells[SLOT.fuid], cells[SLOT.mime]);
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
