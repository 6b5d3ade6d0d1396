import { createHash } from 'node:crypto';
import type { HttpRequest } from './http-request.js';

const EMPTY_HASH = '000000000000';

function hash12(text: string): string {
  return text === '' ? EMPTY_HASH : createHash('sha256').update(text, 'latin1').digest('hex').slice(0, 12);
}

function versionCode(version: string): string {
  const digits = version.replace(/^HTTP\//i, '').replace('.', '');
  if (digits === '2' || digits === '3') return `${digits}0`;
  return (digits + '0').slice(0, 2);
}

function languageCode(value: string): string {
  const primary = value.replaceAll('-', '').replaceAll(';', ',').toLowerCase().split(',')[0] ?? '';
  return primary.slice(0, 4).padEnd(4, '0');
}

/** Cookie `name=value` pairs from every Cookie header, in wire order. */
function cookiePairs(headers: HttpRequest['headers']): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const part of value.split(';')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      pairs.push(eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)]);
    }
  }
  return pairs;
}

/**
 * Which JA4H to compute: `foxio` follows the FoxIO spec (header names in wire
 * order and case; cookie pairs hashed). `cowrie` reproduces what Cowrie 3.0.x
 * logs in `cowrie.direct-tcpip.ja4h`: header and cookie names lowercased and
 * sorted, the cookie-value hash always zeros.
 */
export type Ja4hVariant = 'foxio' | 'cowrie';

/**
 * The JA4H fingerprint of an HTTP request: method, version, cookie/referer
 * flags, header count and language; then hashes of the header names, the
 * sorted cookie names and the sorted cookie pairs.
 *
 * @example
 * const req = parseHttpRequest(Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'));
 * ja4h(req, { variant: 'cowrie' }) // 'ge11nn010000_4740ae6347b0_000000000000_000000000000'
 * ja4h(req)                        // 'ge11nn010000_4a823118b9ba_000000000000_000000000000'
 */
export function ja4h(req: HttpRequest, options: { variant?: Ja4hVariant } = {}): string {
  const cowrie = options.variant === 'cowrie';
  const names: string[] = [];
  let hasReferer = false;
  let language = '';
  let hasLanguage = false;
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (lower === 'referer') hasReferer = true;
    if (lower === 'accept-language' && !hasLanguage) {
      hasLanguage = true;
      language = value;
    }
    if (lower !== 'cookie' && lower !== 'referer' && name !== '' && !name.startsWith(':')) names.push(name);
  }
  const cookies = cookiePairs(req.headers);
  const sorted = [...cookies].sort(([a], [b]) => compare(a, b));
  const count = String(Math.min(names.length, 99)).padStart(2, '0');
  const a =
    req.method.toLowerCase().slice(0, 2).padEnd(2, '0') +
    versionCode(req.version) +
    (cookies.length > 0 ? 'c' : 'n') +
    (hasReferer ? 'r' : 'n') +
    count +
    (language === '' ? '0000' : languageCode(language));
  if (cowrie) {
    const lowerNames = names.map((name) => name.toLowerCase()).sort(compare);
    const cookieNames = cookies.map(([name]) => name.toLowerCase()).sort(compare);
    return [a, hash12(lowerNames.join(',')), hash12(cookieNames.join(',')), EMPTY_HASH].join('_');
  }
  return [
    a,
    hash12(names.join(',')),
    hash12(sorted.map(([name]) => name).join(',')),
    hash12(sorted.map(([name, value]) => `${name}=${value}`).join(',')),
  ].join('_');
}

/** Code-unit order, as Python's sorted() on str. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
