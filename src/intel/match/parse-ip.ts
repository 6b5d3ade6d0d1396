const SCRATCH = new Uint8Array(15);

/** A dotted quad (no leading zeros) as an unsigned 32-bit integer, or -1 for anything else. */
export function parseIpv4(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    // Only digits and dots matter; anything else fails the byte parser as it should.
    SCRATCH[i] = c > 255 ? 0 : c;
  }
  return parseIpv4Bytes(SCRATCH, 0, length);
}

/**
 * {@link parseIpv4} over bytes `[start, end)` of a buffer, so that a reader
 * can test an address without making a string of it.
 */
export function parseIpv4Bytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 7 || end - start > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** The dotted-quad text of an unsigned 32-bit address. */
export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** An IPv6 address (with an optional embedded IPv4 tail) as a 128-bit bigint, or undefined. */
export function parseIpv6(text: string): bigint | undefined {
  let value = text;
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (!value.includes(':')) return undefined;
  let tail: number[] = [];
  const lastColon = value.lastIndexOf(':');
  if (value.indexOf('.', lastColon) !== -1) {
    const v4 = parseIpv4(value.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    const prefix = value.slice(0, lastColon + 1);
    value = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = value.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const rest = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const wanted = 8 - tail.length;
  const fill = halves.length === 2 ? wanted - head.length - rest.length : 0;
  if (halves.length === 2 ? fill < 1 : head.length !== wanted) return undefined;
  const words: number[] = [];
  for (const part of [...head, ...new Array<string>(fill).fill('0'), ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    words.push(parseInt(part, 16));
  }
  words.push(...tail);
  let result = 0n;
  for (const word of words) result = (result << 16n) | BigInt(word);
  return result;
}

/** The RFC 5952 text of a 128-bit address. */
export function formatIpv6(value: bigint): string {
  const words: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) words.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
