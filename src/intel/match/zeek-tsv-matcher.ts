import type { IndicatorSet } from './indicator-set.js';
import type { IpSet } from './ip-set.js';
import type { MalformedLine } from './malformed-line.js';
import { matchRecord, type IntelMatch, type MatchScope } from './match-record.js';
import { countByte, wordView } from './count-byte.js';
import { parseIpv4Bytes } from './parse-ip.js';
import { emptyZeekHeader, parseZeekTsvLine, readZeekHeaderLine, zeekColumns, type ZeekColumns, type ZeekHeader } from './parse-zeek.js';

const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const NEWLINE = Buffer.from('\n');
/** Not an IPv4 address, but may be IPv6: the record parser decides. */
const MAYBE = -2;
/** Flow lines looked up together. */
const PENDING = 1024;

/** An IPv4 address field as an unsigned integer; -1 for text that is no address, MAYBE for text with a colon. */
function address(buf: Buffer, start: number, end: number): number {
  const v4 = parseIpv4Bytes(buf, start, end);
  if (v4 >= 0) return v4;
  const colon = buf.indexOf(COLON, start);
  return colon !== -1 && colon < end ? MAYBE : -1;
}

/**
 * Matches a Zeek TSV log fed to it chunk by chunk. Flow lines (conn.log) are
 * tested on their bytes: the field count is checked and the two addresses
 * looked up without making a string, and only a line whose address is listed
 * (or is IPv6) is parsed into a record, by the same parser and matcher as
 * every other log, so the output is the line parser's. Other Zeek logs (dns,
 * http, files) and odd separators go line by line through that parser.
 */
export class ZeekTsvMatcher {
  /** Data lines read that were not malformed. */
  records = 0;
  readonly #file: string;
  readonly #set: IndicatorSet;
  readonly #ips: IpSet;
  readonly #scope: MatchScope;
  readonly #onMalformed: (bad: MalformedLine) => void;
  readonly #header: ZeekHeader = emptyZeekHeader();
  #cols: ZeekColumns;
  /** TAB when flow lines take the byte path, else -1. */
  #tab = -1;
  #origField = -1;
  #respField = -1;
  #lineNo = 0;
  #carry: Buffer | undefined;
  /** Flow lines read but not finished: where they are, their field count and line number, their addresses, then segments. */
  readonly #lines = {
    start: new Int32Array(PENDING),
    end: new Int32Array(PENDING),
    fields: new Int32Array(PENDING),
    lineNo: new Float64Array(PENDING),
    orig: new Float64Array(PENDING),
    resp: new Float64Array(PENDING),
  };
  #pending = 0;

  constructor(file: string, set: IndicatorSet, scope: MatchScope, onMalformed: (bad: MalformedLine) => void) {
    this.#file = file;
    this.#set = set;
    this.#ips = set.ips;
    this.#scope = scope;
    this.#onMalformed = onMalformed;
    this.#cols = zeekColumns(this.#header);
  }

  /** The matches in the complete lines so far; a partial last line waits for the next chunk. */
  push(chunk: Buffer): IntelMatch[] {
    const out: IntelMatch[] = [];
    let from = 0;
    if (this.#carry) {
      // Only the line cut in two is copied: a copy of every chunk would cost more than reading it.
      const lf = chunk.indexOf(LF);
      const head = Buffer.concat([this.#carry, lf === -1 ? chunk : chunk.subarray(0, lf + 1)]);
      this.#carry = undefined;
      this.#scan(head, 0, out);
      if (lf === -1) return out;
      from = lf + 1;
    }
    this.#scan(chunk, from, out);
    return out;
  }

  /** Reads the complete lines of `buf` from `from` on; keeps the rest as the carry. */
  #scan(buf: Buffer, from: number, out: IntelMatch[]): void {
    const n = buf.length;
    const { words, wordsAt } = wordView(buf);
    let i = from;
    while (i < n) {
      const start = i;
      const lf = buf.indexOf(LF, i);
      if (lf === -1) break;
      i = lf + 1;
      if (this.#tab === -1 || buf[start] === HASH) {
        this.#flush(buf, out);
        this.#line(buf, start, lf, out);
        continue;
      }
      this.#lineNo++;
      const end = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
      if (end === start) continue;
      // Byte by byte up to the address fields, then the other tabs counted four bytes at a time.
      const orig = this.#origField;
      const resp = this.#respField;
      const last = orig > resp ? orig : resp;
      let origAddress = -1;
      let respAddress = -1;
      let field = 0;
      let cell = start;
      let j = start;
      for (; j < end && field <= last; j++) {
        if (buf[j] !== TAB) continue;
        if (field === orig) origAddress = address(buf, cell, j);
        else if (field === resp) respAddress = address(buf, cell, j);
        field++;
        cell = j + 1;
      }
      let fields = field + 1;
      if (field <= last) {
        if (field === orig) origAddress = address(buf, cell, end);
        else if (field === resp) respAddress = address(buf, cell, end);
      } else {
        fields += countByte(buf, words, wordsAt, TAB, j, end);
      }
      const k = this.#pending++;
      const p = this.#lines;
      p.start[k] = start;
      p.end[k] = end;
      p.fields[k] = fields;
      p.lineNo[k] = this.#lineNo;
      p.orig[k] = origAddress;
      p.resp[k] = respAddress;
      if (this.#pending === PENDING) this.#flush(buf, out);
    }
    this.#flush(buf, out);
    if (i < n) this.#carry = buf.subarray(i);
  }

  /**
   * Looks up the addresses of the pending flow lines in one tight loop, where
   * the memory reads of many lookups overlap (one at a time between parsing,
   * each would wait for its cache miss), then finishes the lines in order.
   */
  #flush(buf: Buffer, out: IntelMatch[]): void {
    const n = this.#pending;
    if (n === 0) return;
    this.#pending = 0;
    const p = this.#lines;
    const ips = this.#ips;
    for (let k = 0; k < n; k++) {
      const o = p.orig[k]!;
      const r = p.resp[k]!;
      p.orig[k] = o >= 0 ? ips.lookupV4(o) : o;
      p.resp[k] = r >= 0 ? ips.lookupV4(r) : r;
    }
    for (let k = 0; k < n; k++) this.#flowLine(buf, p.start[k]!, p.end[k]!, p.fields[k]!, p.lineNo[k]!, p.orig[k]!, p.resp[k]!, out);
  }

  /** The matches of a last line without a newline. */
  end(): IntelMatch[] {
    return this.#carry ? this.push(NEWLINE) : [];
  }

  /** A header line, or any line of a log the byte path does not read, between `start` and its newline at `stop`. */
  #line(buf: Buffer, start: number, stop: number, out: IntelMatch[]): void {
    this.#lineNo++;
    const end = stop > start && buf[stop - 1] === CR ? stop - 1 : stop;
    if (end === start) return;
    if (buf[start] === HASH) this.#headerLine(buf.toString('utf8', start, end));
    else this.#parse(buf.toString('utf8', start, end), out);
  }

  /** A flow line whose address fields were looked up: a record only when one is listed, or may be. */
  #flowLine(buf: Buffer, start: number, end: number, fields: number, lineNo: number, origSegment: number, respSegment: number, out: IntelMatch[]): void {
    const count = this.#header.fields.length;
    if (fields !== count) {
      this.#onMalformed({ file: this.#file, line: lineNo, reason: `Cannot parse Zeek log line: expected ${count} fields, found ${fields}` });
      return;
    }
    this.records++;
    if (origSegment === -1 && respSegment === -1) return;
    const record = parseZeekTsvLine(buf.toString('utf8', start, end), this.#header, this.#cols, { file: this.#file, line: lineNo }, true);
    const ips = this.#ips;
    const src = origSegment === MAYBE ? undefined : ips.segmentIds(origSegment);
    const dst = respSegment === MAYBE ? undefined : ips.segmentIds(respSegment);
    for (const m of matchRecord(this.#set, record, this.#scope, src, dst)) out.push(m);
  }

  #parse(line: string, out: IntelMatch[]): void {
    let record;
    try {
      record = parseZeekTsvLine(line, this.#header, this.#cols, { file: this.#file, line: this.#lineNo });
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      this.#onMalformed({ file: this.#file, line: this.#lineNo, reason: err.message });
      return;
    }
    this.records++;
    for (const m of matchRecord(this.#set, record, this.#scope)) out.push(m);
  }

  #headerLine(line: string): void {
    const header = this.#header;
    readZeekHeaderLine(header, line);
    if (!line.startsWith('#fields') && !line.startsWith('#path') && !line.startsWith('#separator')) return;
    this.#cols = zeekColumns(header);
    const fields = header.fields;
    // The byte path only where it sees what the parser would: a tab separator, both
    // address columns, and no tx_hosts/rx_hosts the parser would fall back to.
    const fast =
      this.#cols.kind === 'flow' &&
      header.separator === '\t' &&
      fields.includes('id.orig_h') &&
      fields.includes('id.resp_h') &&
      !fields.includes('tx_hosts') &&
      !fields.includes('rx_hosts');
    this.#tab = fast ? TAB : -1;
    this.#origField = this.#scope === 'dip' ? -1 : fields.indexOf('id.orig_h');
    this.#respField = this.#scope === 'sip' ? -1 : fields.indexOf('id.resp_h');
  }
}
