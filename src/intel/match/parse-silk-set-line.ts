import { parseIpv4 } from './parse-ip.js';

/** What one rwsetbuild input line adds: IPv4 ranges, or an IPv6 address/CIDR text. */
export type SilkSetLine = { v4: [number, number][] } | { cidr: string };

// A 10.x.1-2.4 pattern expands to at most this many ranges (256 /24-aligned runs per /8).
const MAX_RANGES = 1 << 20;

/**
 * Parses one line of rwsetbuild input: `#` comments, dotted IPv4, 32-bit
 * integers, IPv6, any of those with /PREFIX, and SiLK wildcards (`x`, commas,
 * `a-b` per octet). Undefined for blank lines; a SyntaxError names the text.
 */
export function parseSilkSetLine(line: string): SilkSetLine | undefined {
  const hash = line.indexOf('#');
  const text = (hash === -1 ? line : line.slice(0, hash)).trim();
  if (text === '') return undefined;
  if (/\s/.test(text)) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: expected one address per line (ranges need rwsetbuild --ip-ranges)`);
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefix = slash === -1 ? undefined : Number(text.slice(slash + 1));
  if (address.includes(':')) return { cidr: text };
  if (/^\d+$/.test(address)) {
    const value = Number(address);
    if (value > 0xffffffff) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: integer is above 4294967295`);
    return { v4: [cidrRange(value, prefix, text)] };
  }
  const exact = parseIpv4(address);
  if (exact >= 0) return { v4: [cidrRange(exact, prefix, text)] };
  if (prefix !== undefined) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: wildcards cannot take a CIDR suffix`);
  return { v4: expandWildcard(text) };
}

function cidrRange(value: number, prefix: number | undefined, text: string): [number, number] {
  const bits = prefix ?? 32;
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: expected a prefix from 0 to 32`);
  const size = 2 ** (32 - bits);
  const start = value - (value % size);
  return [start, start + size - 1];
}

function expandWildcard(text: string): [number, number][] {
  const octets = text.split('.');
  if (octets.length !== 4) throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: expected four octets`);
  const sets = octets.map((octet) => octetRanges(octet, text));
  const out: [number, number][] = [];
  for (const [a0, a1] of sets[0]!) for (let a = a0; a <= a1; a++) {
    for (const [b0, b1] of sets[1]!) for (let b = b0; b <= b1; b++) {
      for (const [c0, c1] of sets[2]!) for (let c = c0; c <= c1; c++) {
        const base = ((a * 256 + b) * 256 + c) * 256;
        for (const [d0, d1] of sets[3]!) out.push([base + d0, base + d1]);
        if (out.length > MAX_RANGES) throw new RangeError(`Expected IP list entry ${JSON.stringify(text)} to expand to at most ${MAX_RANGES} ranges`);
      }
    }
  }
  return out;
}

function octetRanges(octet: string, text: string): [number, number][] {
  if (octet === 'x') return [[0, 255]];
  return octet.split(',').map((part) => {
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo > 255 || hi > 255 || hi < lo) {
      throw new SyntaxError(`Cannot parse IP list entry ${JSON.stringify(text)}: unexpected octet ${JSON.stringify(octet)}`);
    }
    return [lo, hi];
  });
}
