import { popcount } from '../../lib/popcount.js';
import { parseIpv4, parseIpv6 } from './parse-ip.js';

const NO_IDS: readonly number[] = Object.freeze([]);
// 2^21: an index below it packs beside a 32-bit address in a double's 53 bits.
const SORT_PACK = 2097152;
// Above this many IPv4 segments, a /24 bitmap answers most lookups with one read (see BlockIndex).
const TABLE_THRESHOLD = 65536;
// lo > hi never happens for one segment, so this pair marks a block to search.
const MULTI = 0xff00;
const V4_MAPPED = 0xffff00000000n;

interface Segments<T> {
  starts: T[];
  ends: T[];
  ids: number[][];
}

/**
 * Collects address ranges, each tagged with the id of the indicator that
 * listed it, and builds an {@link IpSet}. Overlapping ranges (an address and
 * the CIDR around it) keep both ids.
 */
export class IpSetBuilder {
  #v4Starts: number[] = [];
  #v4Ends: number[] = [];
  #v4Ids: number[] = [];
  #v6: { start: bigint; end: bigint; id: number }[] = [];

  addV4(start: number, end: number, id: number): void {
    if (end < start) throw new RangeError(`Expected an IPv4 range start <= end but found ${start} > ${end}`);
    this.#v4Starts.push(start);
    this.#v4Ends.push(end);
    this.#v4Ids.push(id);
  }

  addV6(start: bigint, end: bigint, id: number): void {
    if (end < start) throw new RangeError(`Expected an IPv6 range start <= end but found ${start} > ${end}`);
    // IPv4-mapped ranges are IPv4: one lookup path for both spellings.
    if (start >= V4_MAPPED && end <= V4_MAPPED + 0xffffffffn) {
      this.addV4(Number(start - V4_MAPPED), Number(end - V4_MAPPED), id);
      return;
    }
    this.#v6.push({ start, end, id });
  }

  /** Adds `ADDRESS` or `ADDRESS/PREFIX` (IPv4 or IPv6); false when the text is neither. */
  addCidr(text: string, id: number): boolean {
    const slash = text.indexOf('/');
    const address = slash === -1 ? text : text.slice(0, slash);
    const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return false;
    const v4 = parseIpv4(address);
    if (v4 >= 0) {
      const prefix = prefixText === undefined ? 32 : Number(prefixText);
      if (prefix > 32) return false;
      const size = 2 ** (32 - prefix);
      const start = v4 - (v4 % size);
      this.addV4(start, start + size - 1, id);
      return true;
    }
    const v6 = parseIpv6(address);
    if (v6 === undefined) return false;
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return false;
    const hostBits = BigInt(128 - prefix);
    const start = (v6 >> hostBits) << hostBits;
    this.addV6(start, start + (1n << hostBits) - 1n, id);
    return true;
  }

  /** `tableThreshold`: IPv4 segments above which the /24 index is built (tests compare both paths). */
  build(options: { tableThreshold?: number } = {}): IpSet {
    const v4 = segmentV4(this.#v4Starts, this.#v4Ends, this.#v4Ids);
    const v6Sorted = this.#v6;
    const v6 = segment(
      v6Sorted.map((r) => r.start),
      v6Sorted.map((r) => r.end),
      v6Sorted.map((r) => r.id),
      (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      (x) => x + 1n,
    );
    return new IpSet(v4, v6, options.tableThreshold ?? TABLE_THRESHOLD);
  }
}

/**
 * Cuts possibly overlapping tagged ranges into disjoint segments, each with
 * the sorted ids of every range covering it; neighbours with the same ids merge.
 */
function segment<T extends number | bigint>(
  starts: T[],
  ends: T[],
  ids: number[],
  compare: (a: T, b: T) => number,
  next: (x: T) => T,
): Segments<T> {
  const events: { at: T; id: number; open: boolean }[] = [];
  for (let i = 0; i < starts.length; i++) {
    events.push({ at: starts[i]!, id: ids[i]!, open: true });
    events.push({ at: next(ends[i]!), id: ids[i]!, open: false });
  }
  events.sort((a, b) => compare(a.at, b.at));
  const out: Segments<T> = { starts: [], ends: [], ids: [] };
  const active = new Map<number, number>();
  let i = 0;
  while (i < events.length) {
    const at = events[i]!.at;
    while (i < events.length && compare(events[i]!.at, at) === 0) {
      const { id, open } = events[i]!;
      const count = (active.get(id) ?? 0) + (open ? 1 : -1);
      if (count === 0) active.delete(id);
      else active.set(id, count);
      i++;
    }
    if (active.size === 0 || i === events.length) continue;
    const end = events[i]!.at;
    const segmentIds = [...active.keys()].sort((a, b) => a - b);
    const last = out.ids.length - 1;
    if (last >= 0 && compare(next(out.ends[last]!), at) === 0 && sameIds(out.ids[last]!, segmentIds)) {
      out.ends[last] = previous(end, at);
    } else {
      out.starts.push(at);
      out.ends.push(previous(end, at));
      out.ids.push(segmentIds);
    }
  }
  return out;
}

/** The order of `values` ascending, as indices; typed-array sort on packed keys when they fit in a double. */
function sortedOrder(values: readonly number[]): Uint32Array {
  const n = values.length;
  if (n <= SORT_PACK) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = values[i]! * SORT_PACK + i;
    keys.sort();
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = keys[i]! % SORT_PACK;
    return order;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => values[a]! - values[b]!);
}

/** {@link segment} for IPv4, on typed arrays: a million ranges in about a second rather than ten. */
function segmentV4(starts: readonly number[], ends: readonly number[], ids: readonly number[]): Segments<number> {
  const n = starts.length;
  const byStart = sortedOrder(starts);
  const byEnd = sortedOrder(ends);
  const out: Segments<number> = { starts: [], ends: [], ids: [] };
  const active = new Map<number, number>();
  let a = 0;
  let c = 0;
  while (a < n || c < n) {
    const nextOpen = a < n ? starts[byStart[a]!]! : Infinity;
    const nextClose = c < n ? ends[byEnd[c]!]! + 1 : Infinity;
    const at = Math.min(nextOpen, nextClose);
    while (a < n && starts[byStart[a]!] === at) {
      const id = ids[byStart[a++]!]!;
      active.set(id, (active.get(id) ?? 0) + 1);
    }
    while (c < n && ends[byEnd[c]!]! + 1 === at) {
      const id = ids[byEnd[c++]!]!;
      const count = active.get(id)! - 1;
      if (count === 0) active.delete(id);
      else active.set(id, count);
    }
    if (active.size === 0) continue;
    const end = Math.min(a < n ? starts[byStart[a]!]! : Infinity, c < n ? ends[byEnd[c]!]! + 1 : Infinity) - 1;
    const segmentIds = active.size === 1 ? [active.keys().next().value!] : [...active.keys()].sort((x, y) => x - y);
    const last = out.ids.length - 1;
    if (last >= 0 && out.ends[last]! + 1 === at && sameIds(out.ids[last]!, segmentIds)) {
      out.ends[last] = end;
    } else {
      out.starts.push(at);
      out.ends.push(end);
      out.ids.push(segmentIds);
    }
  }
  return out;
}

function previous<T extends number | bigint>(x: T, like: T): T {
  return (typeof like === 'bigint' ? (x as bigint) - 1n : (x as number) - 1) as T;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * An immutable set of IPv4 and IPv6 ranges answering "which ids cover this
 * address?". IPv4 is a sorted Uint32Array of disjoint segments; small sets
 * bisect inside a 65,536-bucket index on the top 16 bits, big ones first ask a
 * /24 bitmap that stays in cache, so most lookups take one or two reads.
 * IPv6 bisects sorted bigint segments.
 */
export class IpSet {
  readonly #starts: Uint32Array;
  readonly #ends: Uint32Array;
  readonly #segmentIds: (readonly number[])[];
  readonly #bucketLo = new Uint32Array(65536);
  readonly #bucketHi = new Uint32Array(65536);
  readonly #v6: Segments<bigint>;
  /**
   * For big sets, per 32 /24 blocks, a pair: the bitmap of the blocks any
   * segment touches, and the count of set bits before them. Pairs, so that a
   * hit costs one cache miss and a miss one read of 4 MiB that stays in cache.
   */
  readonly #index: Int32Array | undefined;
  /**
   * Per set bit, a pair: the segment covering the whole block (>= 0) or -2 -
   * the first segment touching part of it; then, when one segment alone
   * touches it, the low bytes of its first and last address in the block
   * (`lo << 8 | hi`), so the common hit (a listed /32) needs no search; MULTI
   * when several do.
   */
  readonly #slots: Int32Array | undefined;

  constructor(v4: Segments<number>, v6: Segments<bigint>, tableThreshold: number) {
    this.#starts = Uint32Array.from(v4.starts);
    this.#ends = Uint32Array.from(v4.ends);
    this.#segmentIds = v4.ids;
    this.#v6 = v6;
    const n = this.#starts.length;
    let lo = 0;
    let hi = 0;
    for (let h = 0; h < 65536; h++) {
      const first = h * 65536;
      const last = first + 65535;
      while (lo < n && this.#ends[lo]! < first) lo++;
      while (hi < n && this.#starts[hi]! <= last) hi++;
      this.#bucketLo[h] = lo;
      this.#bucketHi[h] = hi;
    }
    if (n > tableThreshold) {
      const { table, multi } = buildTable(this.#starts, this.#ends);
      const index = new Int32Array(1 << 20);
      let count = 0;
      for (let w = 0; w < 1 << 19; w++) {
        let bits = 0;
        for (let j = 0; j < 32; j++) if (table[w * 32 + j] !== -1) bits |= 1 << j;
        index[2 * w] = bits;
        index[2 * w + 1] = count;
        count += popcount(bits);
      }
      const slots = new Int32Array(2 * count);
      let k = 0;
      for (let b = 0; b < 1 << 24; b++) {
        const v = table[b]!;
        if (v === -1) continue;
        if (v <= -2) {
          const i = -v - 2;
          const lo = Math.max(this.#starts[i]!, b * 256) & 255;
          const hi = Math.min(this.#ends[i]!, b * 256 + 255) & 255;
          slots[k + 1] = multi[b] === 1 ? MULTI : (lo << 8) | hi;
        }
        slots[k] = v;
        k += 2;
      }
      this.#index = index;
      this.#slots = slots;
    }
  }

  /** Disjoint IPv4 and IPv6 segments after merging. */
  get size(): number {
    return this.#starts.length + this.#v6.starts.length;
  }

  /** The segment holding an IPv4 address (unsigned 32-bit), or -1. Kept small so that callers inline it. */
  lookupV4(ip: number): number {
    const index = this.#index;
    if (index === undefined) return this.#bisectV4(ip);
    const block = ip >>> 8;
    const w = (block >>> 5) << 1;
    const bits = index[w]!;
    const bit = 1 << (block & 31);
    if ((bits & bit) === 0) return -1;
    const k = (index[w + 1]! + popcount(bits & (bit - 1))) << 1;
    const slots = this.#slots!;
    const v = slots[k]!;
    if (v >= 0) return v;
    const bound = slots[k + 1]!;
    if (bound === MULTI) return this.#scanBlock(ip, -v - 2);
    const low = ip & 255;
    return low >= bound >>> 8 && low <= (bound & 255) ? -v - 2 : -1;
  }

  /** The segment holding `ip` among those from `first` on, in a block several segments touch. */
  #scanBlock(ip: number, first: number): number {
    const starts = this.#starts;
    let i = first;
    if (starts[i]! > ip) return -1;
    const n = starts.length;
    while (i + 1 < n && starts[i + 1]! <= ip) i++;
    return this.#ends[i]! >= ip ? i : -1;
  }

  /** Small sets: bisect inside the address's /16 bucket. */
  #bisectV4(ip: number): number {
    const h = ip >>> 16;
    const first = this.#bucketLo[h]!;
    let lo = first;
    let hi = this.#bucketHi[h]!;
    const starts = this.#starts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= first && this.#ends[i]! >= ip ? i : -1;
  }

  /** The ids covering an IPv4 address (unsigned 32-bit). */
  idsV4(ip: number): readonly number[] {
    return this.segmentIds(this.lookupV4(ip));
  }

  /** The ids of a segment {@link lookupV4} returned (none for -1). */
  segmentIds(segment: number): readonly number[] {
    return segment === -1 ? NO_IDS : this.#segmentIds[segment]!;
  }

  /** The ids covering an IPv6 address. */
  idsV6(ip: bigint): readonly number[] {
    if (ip >= V4_MAPPED && ip <= V4_MAPPED + 0xffffffffn) return this.idsV4(Number(ip - V4_MAPPED));
    const { starts, ends, ids } = this.#v6;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && ends[i]! >= ip ? ids[i]! : NO_IDS;
  }

  /** The ids covering an address written as text; none for text that is no address. */
  ids(text: string): readonly number[] {
    const v4 = parseIpv4(text);
    if (v4 >= 0) return this.idsV4(v4);
    if (this.#v6.starts.length === 0 && !text.startsWith('::ffff:')) return NO_IDS;
    const v6 = parseIpv6(text);
    return v6 === undefined ? NO_IDS : this.idsV6(v6);
  }
}

/** Per /24 block, see IpSet: the whole-block segment, -1, or -2 - the first partial one; `multi` marks blocks several segments touch. */
function buildTable(starts: Uint32Array, ends: Uint32Array): { table: Int32Array; multi: Uint8Array } {
  const table = new Int32Array(1 << 24).fill(-1);
  const multi = new Uint8Array(1 << 24);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    const first = s >>> 8;
    const last = e >>> 8;
    for (let b = first; b <= last; b++) {
      const whole = b * 256 >= s && b * 256 + 255 <= e;
      if (whole) table[b] = i;
      else if (table[b] === -1) table[b] = -2 - i;
      else multi[b] = 1;
    }
  }
  return { table, multi };
}
