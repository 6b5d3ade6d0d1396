import { hash } from 'node:crypto';
import { decodePayload, type DecodedPayload } from './decode-payload.js';

/**
 * One event as the store keeps it: typed columns for what queries need, and
 * the whole event as raw JSON. Column names are the table's.
 */
export interface EventRow {
  /** 32 hex digits: see eventIdentity(). */
  id: string;
  /** Microseconds since the epoch (UTC). */
  ts_us: number;
  eventid: string;
  session: string | null;
  sensor: string | null;
  src_ip: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  /** The originator a direct-tcpip client claimed (Cowrie 3.0.12 `orig_*`; older eras put the port in `src_port`). */
  orig_ip: string | null;
  orig_port: number | null;
  username: string | null;
  password: string | null;
  input: string | null;
  url: string | null;
  shasum: string | null;
  duration_ms: number | null;
  payload_kind: string | null;
  http_method: string | null;
  http_host: string | null;
  http_path: string | null;
  /** JSON array of [name, value] pairs in the order sent. */
  http_headers: string | null;
  smtp_ehlo: string | null;
  tls_sni: string | null;
  raw: string;
}

/** Table columns in insert order. */
export const EVENT_COLUMNS = [
  'id',
  'ts_us',
  'eventid',
  'session',
  'sensor',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'orig_ip',
  'orig_port',
  'username',
  'password',
  'input',
  'url',
  'shasum',
  'duration_ms',
  'payload_kind',
  'http_method',
  'http_host',
  'http_path',
  'http_headers',
  'smtp_ehlo',
  'tls_sni',
  'raw',
] as const satisfies ReadonlyArray<keyof EventRow>;

export type EventColumn = (typeof EVENT_COLUMNS)[number];

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/;
/**
 * Timestamps a sensor can have written: from the epoch to the end of 2099.
 * Outside it is a corrupt or forged line, and one such event would stretch every
 * per-day series over millennia (and PostgreSQL's day partitions past year 9999).
 */
export const FIRST_TIMESTAMP_MS = 0;
export const END_TIMESTAMP_MS = Date.UTC(2100, 0, 1);
const CLAIMED_ORIGIN = / from (\S+):(\d+)$/;
const MAX_INTEGER = 2 ** 31 - 1;
/** Events whose `data` is decoded into the payload columns. */
export const PAYLOAD_EVENTS: ReadonlySet<string> = new Set(['cowrie.direct-tcpip.data', 'cowrie.tunnelproxy-tcpip.data']);

/** The last whole second parsed (`YYYY-MM-DDTHH:MM:SS`) and its epoch ms: events come in runs sharing their second. */
let lastSecond = '';
let lastSecondMs = 0;

/**
 * Cowrie's `timestamp` (`%Y-%m-%dT%H:%M:%S.%fZ`, or with a `%z` offset) as
 * microseconds since the epoch.
 *
 * @throws {SyntaxError} when the text is not such a timestamp
 */
export function parseCowrieTimestamp(text: string): number {
  const plain = text.length === 27 && text.charCodeAt(19) === 46 && text.charCodeAt(26) === 90;
  if (plain && lastSecond !== '' && text.startsWith(lastSecond)) {
    const micros = sixDigits(text, 20);
    if (micros >= 0) return lastSecondMs * 1000 + micros;
  }
  const m = TIMESTAMP.exec(text);
  const ms = m === null ? Number.NaN : Date.parse(`${m[1]}T${m[2]}Z`);
  // Date.parse rolls 2023-02-29 and 24:00 over into the next day: a real moment reads back the same.
  if (m === null || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== `${m[1]}T${m[2]}`) {
    throw new SyntaxError(`Cannot parse timestamp "${text}": expected ISO 8601 like 2018-05-06T17:44:05.866769Z`);
  }
  if (ms < FIRST_TIMESTAMP_MS || ms >= END_TIMESTAMP_MS) throw new SyntaxError(`Timestamp "${text}" is outside 1970 to 2099: expected a time a sensor could have logged`);
  const micros = Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
  let offsetMin = 0;
  const zone = m[4];
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMin = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits[0] === '-' ? -1 : 1);
  }
  if (plain) {
    lastSecond = text.slice(0, 19);
    lastSecondMs = ms;
  }
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

/** The six ASCII digits at `at` as a number, or -1. */
function sixDigits(text: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 6; i += 1) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The identity of an event, independent of file, era formatting and key order:
 * the first 128 bits of sha256 over sensor, session, eventid, timestamp and
 * message. The same event read from a file and received live gets the same id.
 * Events without a message (not Cowrie's) hash their sorted-key JSON instead.
 */
export function eventIdentity(event: Readonly<Record<string, unknown>>): string {
  const message = event.message;
  const body = typeof message === 'string' && message !== '' ? message : canonicalJson(event);
  const key = `${str(event.sensor) ?? ''}\u001f${str(event.session) ?? ''}\u001f${str(event.eventid) ?? ''}\u001f${str(event.timestamp) ?? ''}\u001f${body}`;
  return hash('sha256', key, 'hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Normalises one parsed Cowrie event of any era into typed columns.
 * `raw` is kept as given (the line, or the live event's JSON).
 *
 * @throws {TypeError} when `eventid` or `timestamp` is missing or not a string
 * @throws {SyntaxError} when `timestamp` cannot be parsed
 */
export function toEventRow(event: Readonly<Record<string, unknown>>, raw: string): EventRow {
  const eventid = event.eventid;
  const timestamp = event.timestamp;
  if (typeof eventid !== 'string' || typeof timestamp !== 'string') {
    throw new TypeError('Expected an object with string "eventid" and "timestamp"');
  }
  const row: EventRow = {
    id: eventIdentity(event),
    ts_us: parseCowrieTimestamp(timestamp),
    eventid,
    session: str(event.session),
    sensor: str(event.sensor),
    src_ip: str(event.src_ip),
    src_port: int(event.src_port),
    dst_ip: str(event.dst_ip),
    dst_port: int(event.dst_port),
    orig_ip: str(event.orig_ip),
    orig_port: int(event.orig_port),
    username: str(event.username),
    password: str(event.password),
    input: str(event.input),
    url: str(event.url),
    shasum: str(event.shasum),
    duration_ms: durationMs(event),
    payload_kind: null,
    http_method: null,
    http_host: null,
    http_path: null,
    http_headers: null,
    smtp_ehlo: null,
    tls_sni: null,
    raw,
  };
  if (eventid === 'cowrie.direct-tcpip.request' && row.orig_port === null) normaliseClaimedOrigin(row, event);
  if (PAYLOAD_EVENTS.has(eventid)) Object.assign(row, payloadColumns(decodePayload(event)));
  return row;
}

/** Before 3.0.12 Cowrie put the client-claimed originator port in `src_port` and the address only in the message. */
function normaliseClaimedOrigin(row: EventRow, event: Readonly<Record<string, unknown>>): void {
  const m = typeof event.message === 'string' ? CLAIMED_ORIGIN.exec(event.message) : null;
  row.orig_port = row.src_port;
  row.src_port = null;
  if (m !== null) {
    row.orig_ip = m[1] ?? null;
    // The column is a 32-bit INTEGER; a longer claimed "port" is no port.
    const port = Number(m[2]);
    row.orig_port = port <= MAX_INTEGER ? port : null;
  }
}

/** The payload columns of a row. */
export type PayloadColumns = Pick<EventRow, 'payload_kind' | 'http_method' | 'http_host' | 'http_path' | 'http_headers' | 'smtp_ehlo' | 'tls_sni'>;

/** A decoded payload as the row's payload columns (all null when there was nothing to decode). */
export function payloadColumns(payload: DecodedPayload | undefined): PayloadColumns {
  return {
    payload_kind: payload?.kind ?? null,
    http_method: payload?.httpMethod ?? null,
    http_host: payload?.httpHost ?? null,
    http_path: payload?.httpPath ?? null,
    http_headers: payload?.httpHeaders === undefined ? null : JSON.stringify(payload.httpHeaders),
    smtp_ehlo: payload?.smtpEhlo ?? null,
    tls_sni: payload?.tlsSni ?? null,
  };
}

/** `duration_ms` (3.0.5+), `duration` as float seconds (2018) or as a string "88.7" (2.x). */
function durationMs(event: Readonly<Record<string, unknown>>): number | null {
  if (typeof event.duration_ms === 'number') return event.duration_ms;
  const d = event.duration;
  const secs = typeof d === 'number' ? d : typeof d === 'string' && d.trim() !== '' ? Number(d) : Number.NaN;
  return Number.isFinite(secs) ? Math.round(secs * 1000) : null;
}

function str(v: unknown): string | null {
  // PostgreSQL's text cannot hold NUL; both stores keep it as Cowrie's escape_nonprintable writes it.
  if (typeof v === 'string') return v.includes('\0') ? v.replaceAll('\0', '\\x00') : v;
  if (typeof v === 'number') return String(v);
  return null;
}

/** An integer column's value: the columns are 32-bit INTEGERs, so a larger number is no port either. */
function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return Math.abs(v) <= MAX_INTEGER ? v : null;
  if (typeof v === 'string' && /^\d{1,5}$/.test(v)) return Number(v);
  return null;
}
