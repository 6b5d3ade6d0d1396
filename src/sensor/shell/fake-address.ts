import { isIPv4 } from 'node:net';

const FIRST_OCTETS = [23, 34, 52, 93, 104, 142, 151, 185] as const;
const HOST_NAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,62}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}[a-z0-9_])?)*\.?$/i;

/**
 * What the emulated resolver answers for `host` (ping, dig): an IPv4 literal
 * as is, localhost, or a stable public-looking address made from the name.
 * No real lookup is made. Undefined for a name that cannot exist.
 */
export function fakeAddress(host: string): string | undefined {
  if (isIPv4(host)) return host;
  if (!HOST_NAME.test(host)) return undefined;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name === 'localhost.localdomain') return '127.0.0.1';
  // Top-level domains are alphabetic, so `999.1.1.1` is not a name either.
  if (!/\.[a-z][a-z0-9-]*$/.test(name)) return undefined;
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return `${FIRST_OCTETS[h % FIRST_OCTETS.length]}.${(h >>> 8) & 0xff}.${(h >>> 16) & 0xff}.${1 + ((h >>> 24) % 254)}`;
}
