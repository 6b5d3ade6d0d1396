import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';

/**
 * Indicator types, after Zeek's Intel::Type (ADDR split by family, SUBNET as
 * cidr, FILE_HASH split by algorithm) plus OTX's domain/hostname distinction.
 */
export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'cidr', 'domain', 'hostname', 'url', 'md5', 'sha1', 'sha256', 'email'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** What one source says about one indicator. (source, pulseId) is the key: two feeds never overwrite each other. */
export interface IntelMeta {
  source: string;
  /** OTX pulse id, MISP event uuid, STIX indicator id; '' when the source has no such unit. */
  pulseId: string;
  pulseName?: string | undefined;
  author?: string | undefined;
  description?: string | undefined;
  /** Reference link (pulse page, report). */
  url?: string | undefined;
  tags?: string[] | undefined;
  tlp?: string | undefined;
  /** Epoch milliseconds. */
  firstSeen?: number | undefined;
  lastSeen?: number | undefined;
  expires?: number | undefined;
  active: boolean;
}

/** One row as sources produce it and stores keep it. */
export interface IntelRecord {
  indicator: string;
  type: IndicatorType;
  meta: IntelMeta;
}

/** One indicator with the metadata of every source listing it, sorted by source then pulse id. */
export interface IntelItem {
  indicator: string;
  type: IndicatorType;
  meta: IntelMeta[];
}

const HEX = { md5: 32, sha1: 40, sha256: 64 } as const;
// Anything a zone file, TSV or shell would treat specially: rejected before IDN
// conversion, because domainToASCII silently drops some of them (newlines, tabs).
const FORBIDDEN_IN_NAME = /[\u0000-\u0020\u007f"'`;()\\$@/,<>{}|#%]/u;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const CANONICAL_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
// A label starting with rpz- means a trigger (rpz-ip, rpz-nsdname, rpz-client-ip...) or an action to BIND:
// as an owner name in an RPZ zone it would be a policy of the feed's choosing, not a name to block.
const RPZ_LABEL = /(?:^|\.)rpz-/;
// Top-level domains are letters (RFC 3696 section 2), or punycode for IDN ones: this keeps
// SiLK wildcards (10.x.1-2.4), ranges (192.0.2.1-192.0.2.5) and inet_aton forms (0x7f.1) out of names.
const TOP_LABEL = /(?:^|\.)(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// ipaddr.js's own check throws and catches internally and costs ~60 µs on a non-address; this is the same rule.
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 address without leading zeros (which is then already canonical). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function isIndicatorType(value: string): value is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(value);
}

/**
 * The canonical form of an indicator of the given type: lowercase names in
 * punycode without a trailing dot, RFC 5952 IPv6, network-address CIDRs,
 * lowercase hashes. Throws a SyntaxError naming the value and what was expected.
 */
export function normaliseIndicator(type: IndicatorType, raw: string): string {
  const value = raw.trim();
  switch (type) {
    case 'ipv4':
      return normaliseIpv4(value, raw);
    case 'ipv6':
      return normaliseIpv6(value, raw);
    case 'cidr':
      return normaliseCidr(value, raw);
    case 'domain':
    case 'hostname':
      return normaliseDomain(value, raw);
    case 'url':
      return normaliseUrl(value, raw);
    case 'md5':
    case 'sha1':
    case 'sha256':
      if (new RegExp(`^[0-9a-fA-F]{${HEX[type]}}$`).test(value)) return value.toLowerCase();
      throw new SyntaxError(`Invalid ${type} ${JSON.stringify(raw)}: expected ${HEX[type]} hexadecimal digits`);
    case 'email':
      return normaliseEmail(value, raw);
  }
}

/** Guesses the type of a bare value (plain lists, hosts files); undefined when nothing fits. */
export function detectIndicatorType(raw: string): IndicatorType | undefined {
  const value = raw.trim();
  if (IPV4.test(value)) return 'ipv4';
  if (value.includes(':') && ipaddr.IPv6.isValid(value) && !value.includes('/')) return ipaddr.IPv6.parse(value).isIPv4MappedAddress() ? 'ipv4' : 'ipv6';
  if (value.includes('/') && ipaddr.isValidCIDR(value)) return 'cidr';
  if (/^[0-9a-fA-F]+$/.test(value)) {
    if (value.length === 32) return 'md5';
    if (value.length === 40) return 'sha1';
    if (value.length === 64) return 'sha256';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'url';
  if (value.includes('@')) return 'email';
  if (/^[^\s/]+\.[^\s/]+$/.test(value)) return 'domain';
  return undefined;
}

/** Normalises a value of unknown type; throws a SyntaxError when it is no indicator at all. */
export function parseIndicator(raw: string): { indicator: string; type: IndicatorType } {
  const type = detectIndicatorType(raw);
  if (!type) throw new SyntaxError(`Invalid indicator ${JSON.stringify(raw)}: expected an IP address, CIDR, domain, URL, email or MD5/SHA-1/SHA-256 hash`);
  return { indicator: normaliseIndicator(type, raw), type };
}

function normaliseIpv4(value: string, raw: string): string {
  if (IPV4.test(value)) return value;
  // ::ffff:198.51.100.44 is an IPv4 host as a dual-stack socket shows it: only the IPv4 sets ever see its traffic.
  if (value.includes(':') && ipaddr.IPv6.isValid(value)) {
    const v6 = ipaddr.IPv6.parse(value);
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  }
  throw new SyntaxError(`Invalid ipv4 ${JSON.stringify(raw)}: expected a dotted-quad IPv4 address`);
}

function normaliseIpv6(value: string, raw: string): string {
  if (!value.includes(':') || !ipaddr.IPv6.isValid(value)) throw new SyntaxError(`Invalid ipv6 ${JSON.stringify(raw)}: expected an IPv6 address`);
  return ipaddr.IPv6.parse(value).toRFC5952String();
}

/** The shortest prefixes an indicator may have: anything broader blocks a large share of the internet, never one actor. */
const MIN_CIDR_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/** Why an address or CIDR is too broad to block, or undefined; for exporters reading stores written before the limit. */
export function cidrBreadthError(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash === -1) return undefined;
  const prefix = Number(value.slice(slash + 1));
  const min = value.includes(':') ? MIN_CIDR_PREFIX.ipv6 : MIN_CIDR_PREFIX.ipv4;
  return prefix >= min ? undefined : `expected a prefix of at least /${min}, found /${value.slice(slash + 1)}`;
}

function normaliseCidr(value: string, raw: string): string {
  if (!ipaddr.isValidCIDR(value) || (!value.includes(':') && !IPV4.test(value.split('/')[0] ?? ''))) {
    throw new SyntaxError(`Invalid cidr ${JSON.stringify(raw)}: expected ADDRESS/PREFIX`);
  }
  const [addr, prefix] = ipaddr.parseCIDR(value);
  const kind = addr.kind() as 'ipv4' | 'ipv6';
  if (prefix < MIN_CIDR_PREFIX[kind]) {
    throw new SyntaxError(`Invalid cidr ${JSON.stringify(raw)}: expected a prefix of at least /${MIN_CIDR_PREFIX[kind]} for ${kind === 'ipv4' ? 'IPv4' : 'IPv6'}, found /${prefix}`);
  }
  const network = kind === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
  const text = `${kind === 'ipv4' ? network.toString() : (network as ipaddr.IPv6).toRFC5952String()}/${prefix}`;
  // Widening 10.0.0.1/8 to the /8 could block millions of addresses where one host was meant: the feed must say which.
  if (network.toNormalizedString() !== addr.toNormalizedString()) {
    throw new SyntaxError(`Invalid cidr ${JSON.stringify(raw)}: host bits are set, expected the network address ${text} or a single address`);
  }
  return text;
}

/** Lowercase punycode, no trailing dot, LDH labels (underscores kept: they occur in real names) of 1-63 octets, 253 in all. */
export function normaliseDomain(value: string, raw: string = value): string {
  // Already canonical (the common case, and every name an exporter re-checks): no IDN work needed.
  if (CANONICAL_NAME.test(value) && value.length <= 253 && !value.includes('xn--') && !RPZ_LABEL.test(value) && TOP_LABEL.test(value)) return value;
  const fail = (why: string): SyntaxError => new SyntaxError(`Invalid domain ${JSON.stringify(raw)}: ${why}`);
  if (value === '') throw fail('expected a name, found nothing');
  if (FORBIDDEN_IN_NAME.test(value)) throw fail('expected letters, digits, hyphens, underscores and dots only');
  const stripped = value.endsWith('.') ? value.slice(0, -1) : value;
  const ascii = domainToASCII(stripped.toLowerCase());
  const topError = (top: string): SyntaxError => fail(`expected a top-level domain of letters (or xn-- punycode) last, found ${JSON.stringify(top)}`);
  if (ascii === '') {
    // The URL host parser refuses names ending in a number (it reads them as IPv4): say so plainly.
    const top = stripped.toLowerCase().slice(stripped.lastIndexOf('.') + 1);
    throw /^[\x21-\x7e]+$/.test(top) && !TOP_LABEL.test(top) ? topError(top) : fail('expected a valid internationalised domain name');
  }
  if (ascii.length > 253) throw fail(`expected at most 253 octets, found ${ascii.length}`);
  const labels = ascii.split('.');
  if (labels.length < 2) throw fail('expected at least two labels');
  for (const label of labels) {
    if (label.length > 63) throw fail(`expected labels of at most 63 octets, found ${label.length}`);
    if (!LABEL.test(label)) throw fail(`label ${JSON.stringify(label)} is not letters, digits, hyphens and underscores (no hyphen at either end)`);
  }
  if (labels.every((l) => /^[0-9]+$/.test(l))) throw fail('expected a name, found a number');
  const rpzLabel = labels.find((l) => l.startsWith('rpz-'));
  if (rpzLabel !== undefined) throw fail(`label ${JSON.stringify(rpzLabel)} is an RPZ trigger or action label, expected none starting with "rpz-"`);
  if (!TOP_LABEL.test(ascii)) throw topError(labels[labels.length - 1]!);
  return ascii;
}

function normaliseUrl(value: string, raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    throw new SyntaxError(`Invalid url ${JSON.stringify(raw)}: expected an absolute URL`, { cause: err });
  }
  if (/\s/.test(value)) throw new SyntaxError(`Invalid url ${JSON.stringify(raw)}: expected no whitespace`);
  if (!['http:', 'https:', 'ftp:', 'tftp:'].includes(url.protocol)) {
    throw new SyntaxError(`Invalid url ${JSON.stringify(raw)}: expected an http, https, ftp or tftp URL`);
  }
  if (url.hostname === '') throw new SyntaxError(`Invalid url ${JSON.stringify(raw)}: expected a host`);
  return url.href;
}

function normaliseEmail(value: string, raw: string): string {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  if (at <= 0 || !/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || local.length > 64) {
    throw new SyntaxError(`Invalid email ${JSON.stringify(raw)}: expected LOCAL@DOMAIN`);
  }
  let domain: string;
  try {
    domain = normaliseDomain(value.slice(at + 1));
  } catch (err) {
    throw new SyntaxError(`Invalid email ${JSON.stringify(raw)}: expected LOCAL@DOMAIN with a valid domain`, { cause: err });
  }
  return `${local}@${domain}`;
}

/** The host of a URL indicator as a domain or IP indicator, or undefined (IPv6 hosts keep their brackets out). */
export function urlHost(url: string): { indicator: string; type: IndicatorType } | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch (err) {
    if (err instanceof TypeError) return undefined;
    throw err;
  }
  if (host.startsWith('[')) host = host.slice(1, -1);
  try {
    return parseIndicator(host);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
