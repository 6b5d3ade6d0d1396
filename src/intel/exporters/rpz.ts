import ipaddr from 'ipaddr.js';
import { cidrBreadthError, isIpv4, normaliseDomain } from '../indicator.js';
import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

/** RPZ actions (BIND ARM "Response Policy Zones"), as written in config: `nxdomain`, `cname:walled.example`, `a:127.0.0.99`. */
export type RpzPolicy =
  | { action: 'nxdomain' | 'nodata' | 'drop' | 'passthru' | 'tcp-only' }
  | { action: 'cname'; target: string }
  | { action: 'a'; address: string }
  | { action: 'aaaa'; address: string };

export interface RpzOptions {
  serial: number;
  policy?: RpzPolicy;
  /** The zone name, only to check owner-name length; names are written relative to it. */
  zone?: string;
  ttl?: number;
  /** Also write `rpz-ip` triggers for IPv4/IPv6/CIDR indicators. */
  ipTriggers?: boolean;
  /** Whitelisted names written as PASSTHRU, so a listed parent's wildcard cannot catch them. */
  passthru?: ReadonlyArray<{ name: string; subdomains: boolean }>;
  report: ExportReport;
}

const RHS: Record<string, string> = {
  nxdomain: 'CNAME .',
  nodata: 'CNAME *.',
  drop: 'CNAME rpz-drop.',
  passthru: 'CNAME rpz-passthru.',
  'tcp-only': 'CNAME rpz-tcp-only.',
};

/** Parses `nxdomain`, `nodata`, `drop`, `passthru`, `tcp-only`, `cname:NAME`, `a:IPV4`, `aaaa:IPV6`. */
export function parseRpzPolicy(text: string): RpzPolicy {
  const [action = '', arg] = text.split(/:(.*)/s, 2);
  const fail = (why: string, cause?: unknown): SyntaxError =>
    new SyntaxError(`Invalid RPZ policy ${JSON.stringify(text)}: ${why}`, { cause });
  switch (action) {
    case 'nxdomain':
    case 'nodata':
    case 'drop':
    case 'passthru':
    case 'tcp-only':
      if (arg !== undefined) throw fail(`"${action}" takes no argument`);
      return { action };
    case 'cname': {
      try {
        return { action, target: normaliseDomain(arg ?? '') };
      } catch (err) {
        throw fail('expected cname:DOMAIN with a valid domain', err);
      }
    }
    case 'a':
      if (!ipaddr.IPv4.isValidFourPartDecimal(arg ?? '')) throw fail('expected a:IPV4');
      return { action, address: ipaddr.IPv4.parse(arg!).toString() };
    case 'aaaa':
      if (!ipaddr.IPv6.isValid(arg ?? '') || !(arg ?? '').includes(':')) throw fail('expected aaaa:IPV6');
      return { action, address: ipaddr.IPv6.parse(arg!).toRFC5952String() };
    default:
      throw fail('expected nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6');
  }
}

function policyRhs(policy: RpzPolicy): string {
  switch (policy.action) {
    case 'cname':
      return `CNAME ${policy.target}.`;
    case 'a':
      return `A ${policy.address}`;
    case 'aaaa':
      return `AAAA ${policy.address}`;
    default:
      return RHS[policy.action]!;
  }
}

/** Next SOA serial: always above the previous one, and the Unix time when that is larger. */
export function nextRpzSerial(previous: number | undefined, now: number): number {
  const serial = Math.max((previous ?? 0) + 1, Math.floor(now / 1000));
  if (serial > 0xffffffff) throw new RangeError(`Expected an RPZ serial below 2^32 but found ${serial}`);
  return serial;
}

/** The SOA serial of an RPZ file written by renderRpz, or undefined. */
export function readRpzSerial(text: string): number | undefined {
  const m = /^@\s+IN\s+SOA\s+\S+\s+\S+\s+(\d+)\s/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The RPZ owner name for a domain, or why it cannot be one. The name must
 * already be canonical (renormalising it must not change it) so that no byte
 * of it is reinterpreted by the zone-file parser; it is never escaped.
 */
export function rpzOwnerError(name: string, options: { zone: string; hostnameRules: boolean }): string | undefined {
  // Checked here as well as at import: a store written by an older version may hold such a name,
  // and as an owner it would be a trigger (rpz-ip, rpz-client-ip...) of the feed's choosing.
  const special = name.split('.').find((label) => label.toLowerCase().startsWith('rpz-'));
  if (special !== undefined) return `label ${JSON.stringify(special)} is an RPZ trigger or action label, expected a name to block`;
  let canonical: string;
  try {
    canonical = normaliseDomain(name);
  } catch (err) {
    return (err as Error).message;
  }
  if (canonical !== name) return `expected the canonical form ${JSON.stringify(canonical)}`;
  // "*." + name + "." + zone must fit in 253 characters (255 octets on the wire).
  if (name.length + 3 + options.zone.length > 253) return `name too long for zone "${options.zone}" with its wildcard`;
  if (options.hostnameRules && name.includes('_')) return 'underscore not allowed in a name that owns an address record';
  return undefined;
}

/** `32.4.3.2.1.rpz-ip` / `128.5.zz.bad.db8.2001.rpz-ip` for an address or CIDR. */
export function rpzIpOwner(value: string): string {
  const [addr, prefix] = value.includes('/') ? ipaddr.parseCIDR(value) : [ipaddr.parse(value), value.includes(':') ? 128 : 32];
  if (addr.kind() === 'ipv4') return `${prefix}.${addr.toByteArray().reverse().join('.')}.rpz-ip`;
  const text = (addr as ipaddr.IPv6).toRFC5952String();
  const [left = '', right] = text.split('::');
  const words = right === undefined ? left.split(':') : [...(left ? left.split(':') : []), 'zz', ...(right ? right.split(':') : [])];
  return `${prefix}.${words.reverse().join('.')}.rpz-ip`;
}

/** A BIND RPZ zone: SOA, NS, then `name` and `*.name` per domain/hostname (and rpz-ip triggers if asked). */
export async function* renderRpz(items: ItemSource, options: RpzOptions): AsyncGenerator<string> {
  const policy = options.policy ?? { action: 'nxdomain' };
  const zone = options.zone ?? 'rpz.local';
  const rhs = policyRhs(policy);
  const hostnameRules = policy.action === 'a' || policy.action === 'aaaa';
  const report = options.report;
  const out = new ChunkBuffer();
  yield [
    `$TTL ${options.ttl ?? 60}`,
    `@ IN SOA localhost. hostmaster.localhost. ${options.serial} 3600 600 86400 60`,
    '  IN NS localhost.',
    '; generated by honeyscope: do not edit, it is replaced on every export',
    '',
  ].join('\n');
  const passthru = new Set<string>();
  for (const entry of options.passthru ?? []) {
    if (rpzOwnerError(entry.name, { zone, hostnameRules: false }) !== undefined) continue;
    const lines = [`${entry.name} CNAME rpz-passthru.\n`];
    if (entry.subdomains) lines.push(`*.${entry.name} CNAME rpz-passthru.\n`);
    passthru.add(entry.name);
    const chunk = out.push(lines.join(''));
    if (chunk) yield chunk;
  }
  for await (const batch of items) {
    for (const item of batch) {
      let line: string;
      if (item.type === 'domain' || item.type === 'hostname') {
        const error = rpzOwnerError(item.indicator, { zone, hostnameRules });
        if (error !== undefined) {
          report.rejected.push({ indicator: item.indicator, type: item.type, reason: error });
          continue;
        }
        if (passthru.has(item.indicator)) continue;
        line = `${item.indicator} ${rhs}\n*.${item.indicator} ${rhs}\n`;
      } else if (options.ipTriggers && (item.type === 'ipv4' || item.type === 'ipv6' || item.type === 'cidr')) {
        const valid = item.type === 'ipv4' ? isIpv4(item.indicator) : item.type === 'cidr' ? ipaddr.isValidCIDR(item.indicator) : item.indicator.includes(':') && ipaddr.IPv6.isValid(item.indicator);
        if (!valid) {
          report.rejected.push({ indicator: item.indicator, type: item.type, reason: 'expected an IP address or CIDR' });
          continue;
        }
        const broad = cidrBreadthError(item.indicator);
        if (broad !== undefined) {
          report.rejected.push({ indicator: item.indicator, type: item.type, reason: broad });
          continue;
        }
        line = `${rpzIpOwner(item.indicator)} ${rhs}\n`;
      } else {
        continue;
      }
      report.written += 1;
      const chunk = out.push(line);
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
}
