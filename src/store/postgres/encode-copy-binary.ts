import { EVENT_COLUMNS, type EventRow } from '../event-row.js';

/** "PGCOPY\n\377\r\n\0", flags, header extension length. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;
/** Field count, a length per column, uuid, timestamp and numbers. */
const FIXED_BYTES_PER_ROW = 2 + 4 * EVENT_COLUMNS.length + 16 + 8 + 3 * 4 + 8;
/** Below this length an ASCII string is copied by a JavaScript loop: cheaper than a call into Buffer.write. */
const SHORT_TEXT = 64;

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
  for (const row of rows) encodeRow(out, row);
  out.int16(-1);
  return out.result();
}

/**
 * One row, its columns in EVENT_COLUMNS order (checked by the tests), written
 * out rather than looped over: a property read by a changing key costs more
 * than the encoding itself.
 */
function encodeRow(out: GrowingBuffer, r: EventRow): void {
  out.int16(EVENT_COLUMNS.length);
  out.uuid(r.id);
  out.timestamp(r.ts_us);
  out.text(r.eventid);
  out.text(r.session);
  out.text(r.sensor);
  out.text(r.src_ip);
  out.int4(r.src_port);
  out.text(r.dst_ip);
  out.int4(r.dst_port);
  out.text(r.orig_ip);
  out.int4(r.orig_port);
  out.text(r.username);
  out.text(r.password);
  out.text(r.input);
  out.text(r.url);
  out.text(r.shasum);
  out.float8(r.duration_ms);
  out.text(r.payload_kind);
  out.text(r.http_method);
  out.text(r.http_host);
  out.text(r.http_path);
  out.text(r.http_headers);
  out.text(r.smtp_ehlo);
  out.text(r.tls_sni);
  out.text(r.raw);
}

/** A buffer written front to back that doubles when full; every field but the header with its length in front. */
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

  int4(v: number | null): void {
    if (v === null) return this.#null();
    this.#room(8);
    this.#buf.writeInt32BE(4, this.#at);
    this.#at = this.#buf.writeInt32BE(v, this.#at + 4);
  }

  timestamp(us: number): void {
    this.#room(12);
    const v = us - PG_EPOCH_US;
    const high = Math.floor(v / TWO_32);
    const buf = this.#buf;
    buf.writeInt32BE(8, this.#at);
    buf.writeInt32BE(high, this.#at + 4);
    this.#at = buf.writeUInt32BE(v - high * TWO_32, this.#at + 8);
  }

  float8(v: number | null): void {
    if (v === null) return this.#null();
    this.#room(12);
    this.#buf.writeInt32BE(8, this.#at);
    this.#at = this.#buf.writeDoubleBE(v, this.#at + 4);
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
  text(v: string | null): void {
    if (v === null) return this.#null();
    const length = v.length;
    this.#room(4 + length * 3);
    const buf = this.#buf;
    const start = this.#at + 4;
    let n = 0;
    if (length < SHORT_TEXT) {
      while (n < length) {
        const c = v.charCodeAt(n);
        if (c >= 0x80) break;
        buf[start + n] = c;
        n += 1;
      }
    }
    if (n < length) n = buf.write(v, start, 'utf8');
    buf.writeInt32BE(n, this.#at);
    this.#at = start + n;
  }

  result(): Buffer {
    return this.#buf.subarray(0, this.#at);
  }

  #null(): void {
    this.#room(4);
    this.#at = this.#buf.writeInt32BE(-1, this.#at);
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n));
    this.#buf.copy(bigger, 0, 0, this.#at);
    this.#buf = bigger;
  }
}
