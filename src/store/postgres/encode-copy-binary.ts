import { EVENT_COLUMNS, type EventColumn, type EventRow } from '../event-row.js';

type Kind = 'uuid' | 'timestamptz' | 'int4' | 'float8' | 'text';

const KINDS: Record<EventColumn, Kind> = {
  id: 'uuid',
  ts_us: 'timestamptz',
  eventid: 'text',
  session: 'text',
  sensor: 'text',
  src_ip: 'text',
  src_port: 'int4',
  dst_ip: 'text',
  dst_port: 'int4',
  orig_ip: 'text',
  orig_port: 'int4',
  username: 'text',
  password: 'text',
  input: 'text',
  url: 'text',
  shasum: 'text',
  duration_ms: 'float8',
  payload_kind: 'text',
  http_method: 'text',
  http_host: 'text',
  http_path: 'text',
  http_headers: 'text',
  smtp_ehlo: 'text',
  tls_sni: 'text',
  raw: 'text',
};

const COLUMN_KINDS = EVENT_COLUMNS.map((c) => KINDS[c]);
/** "PGCOPY\n\377\r\n\0", flags, header extension length. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;
/** Field count, a length per column, uuid, timestamp and numbers. */
const FIXED_BYTES_PER_ROW = 2 + 4 * EVENT_COLUMNS.length + 16 + 8 + 3 * 4 + 8;

/**
 * Rows as the body of `COPY events (EVENT_COLUMNS with ts for ts_us) FROM
 * STDIN (FORMAT binary)`. Binary rather than text: no escaping on our side and
 * no parsing of uuids, numbers and timestamps on the server's.
 *
 * @throws {RangeError} when an id is not 32 hex digits (dashes allowed) or a port is not an int4
 */
export function encodeCopyBinary(rows: readonly EventRow[]): Buffer {
  // The other text columns are mostly parts of `raw`: twice its size rarely needs a second buffer.
  let size = HEADER.length + 2;
  for (const row of rows) size += FIXED_BYTES_PER_ROW + 2 * row.raw.length;
  const out = new GrowingBuffer(size);
  out.bytes(HEADER);
  for (const row of rows) {
    out.int16(COLUMN_KINDS.length);
    for (let i = 0; i < COLUMN_KINDS.length; i += 1) {
      const value = row[EVENT_COLUMNS[i]!];
      if (value === null || value === undefined) {
        out.int32(-1);
        continue;
      }
      switch (COLUMN_KINDS[i]) {
        case 'uuid':
          out.uuid(String(value));
          break;
        case 'timestamptz':
          out.int32(8);
          out.int64(Number(value) - PG_EPOCH_US);
          break;
        case 'int4':
          out.int32(4);
          out.int32(Number(value));
          break;
        case 'float8':
          out.int32(8);
          out.float64(Number(value));
          break;
        default:
          out.text(String(value));
      }
    }
  }
  out.int16(-1);
  return out.result();
}

/** A buffer written front to back that doubles when full. */
class GrowingBuffer {
  #buf: Buffer;
  #at = 0;

  constructor(size: number) {
    this.#buf = Buffer.allocUnsafe(Math.max(size, 4096));
  }

  bytes(b: Buffer): void {
    this.#room(b.length);
    this.#at += b.copy(this.#buf, this.#at);
  }

  int16(v: number): void {
    this.#room(2);
    this.#at = this.#buf.writeInt16BE(v, this.#at);
  }

  int32(v: number): void {
    this.#room(4);
    this.#at = this.#buf.writeInt32BE(v, this.#at);
  }

  int64(v: number): void {
    this.#room(8);
    const high = Math.floor(v / TWO_32);
    this.#buf.writeInt32BE(high, this.#at);
    this.#at = this.#buf.writeUInt32BE(v - high * TWO_32, this.#at + 4);
  }

  float64(v: number): void {
    this.#room(8);
    this.#at = this.#buf.writeDoubleBE(v, this.#at);
  }

  uuid(v: string): void {
    const hex = v.length === 32 ? v : v.replaceAll('-', '');
    this.#room(20);
    // Buffer.write stops at the first byte that is not two hex digits.
    if (hex.length !== 32 || this.#buf.write(hex, this.#at + 4, 16, 'hex') !== 16) {
      throw new RangeError(`Expected an event id of 32 hex digits but found "${v}"`);
    }
    this.#at = this.#buf.writeInt32BE(16, this.#at) + 16;
  }

  /** UTF-8 with a length prefix; a UTF-16 code unit takes at most 3 bytes. */
  text(v: string): void {
    this.#room(4 + v.length * 3);
    const n = this.#buf.write(v, this.#at + 4, 'utf8');
    this.#buf.writeInt32BE(n, this.#at);
    this.#at += 4 + n;
  }

  result(): Buffer {
    return this.#buf.subarray(0, this.#at);
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n));
    this.#buf.copy(bigger, 0, 0, this.#at);
    this.#buf = bigger;
  }
}
