import ipaddr from 'ipaddr.js';
import { isIpv4, normaliseDomain, parseIndicator, urlHost, type IndicatorType, type IntelItem } from './indicator.js';

/** One indicator a whitelist rule kept out of an export. */
export interface Suppressed {
  indicator: string;
  type: IndicatorType;
  /** The whitelist entry that matched, as written. */
  rule: string;
}

export interface Whitelist {
  /** The whitelist entry covering this indicator, or undefined. */
  match(item: { indicator: string; type: IndicatorType }): string | undefined;
  /** Domain entries, for RPZ passthru rules: exact names and (wildcard) parents. */
  readonly domains: ReadonlyArray<{ name: string; subdomains: boolean }>;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Builds a whitelist from entries: `example.com` (that name only),
 * `*.example.com` (the name and every name below it), an IP address or a CIDR.
 * A CIDR indicator that overlaps a whitelisted range is suppressed whole, so
 * blocking it can never block a whitelisted address. Throws a SyntaxError naming
 * a bad entry.
 */
export function createWhitelist(entries: readonly string[]): Whitelist {
  const exact = new Map<string, string>();
  const parents = new Map<string, string>();
  const ranges: Array<{ range: Range; rule: string }> = [];
  const values = new Map<string, string>();
  const domains: Array<{ name: string; subdomains: boolean }> = [];
  for (const rule of entries) {
    const entry = rule.trim();
    if (entry.startsWith('*.')) {
      const name = normaliseDomain(entry.slice(2), rule);
      parents.set(name, rule);
      domains.push({ name, subdomains: true });
      continue;
    }
    // Any prefix: a broad whitelist range (fc00::/7, fe80::/10) only ever blocks less, unlike a broad indicator.
    if (entry.includes('/') && ipaddr.isValidCIDR(entry) && (entry.includes(':') || isIpv4(entry.slice(0, entry.indexOf('/'))))) {
      ranges.push({ range: ipaddr.parseCIDR(entry), rule });
      continue;
    }
    let parsed: { indicator: string; type: IndicatorType };
    try {
      parsed = parseIndicator(entry);
    } catch (err) {
      throw new SyntaxError(`Invalid whitelist entry ${JSON.stringify(rule)}: expected a domain, *.domain, IP address or CIDR`, { cause: err });
    }
    if (parsed.type === 'domain') {
      exact.set(parsed.indicator, rule);
      domains.push({ name: parsed.indicator, subdomains: false });
    } else if (parsed.type === 'ipv4' || parsed.type === 'ipv6') {
      const addr = ipaddr.parse(parsed.indicator);
      ranges.push({ range: [addr, addr.kind() === 'ipv4' ? 32 : 128], rule });
    } else {
      values.set(parsed.indicator, rule);
    }
  }

  function matchDomain(name: string): string | undefined {
    const hit = exact.get(name);
    if (hit !== undefined || parents.size === 0) return hit;
    for (let at = 0; at !== -1; at = name.indexOf('.', at + 1)) {
      const parent = at === 0 ? name : name.slice(at + 1);
      const rule = parents.get(parent);
      if (rule !== undefined) return rule;
    }
    return undefined;
  }

  // IPv4 entries as (network, mask) integers: a million exported addresses meet every entry.
  const v4 = ranges
    .filter(({ range }) => range[0].kind() === 'ipv4')
    .map(({ range, rule }) => {
      const mask = prefixMask(range[1]);
      return { net: (ipv4ToInt(range[0].toString()) & mask) >>> 0, mask, rule };
    });

  function matchIpv4(addr: number): string | undefined {
    for (const { net, mask, rule } of v4) if (((addr & mask) >>> 0) === net) return rule;
    return undefined;
  }

  /** An IPv4 CIDR overlaps an entry when both agree on the shorter of the two prefixes. */
  function matchCidrV4(addr: number, cidrMask: number): string | undefined {
    for (const { net, mask, rule } of v4) {
      const common = (mask & cidrMask) >>> 0;
      if (((addr & common) >>> 0) === ((net & common) >>> 0)) return rule;
    }
    return undefined;
  }

  function matchRange(target: Range): string | undefined {
    for (const { range, rule } of ranges) {
      if (range[0].kind() !== target[0].kind()) continue;
      // Two prefixes overlap when the shorter one contains the other's network address.
      const [wide, narrow] = range[1] <= target[1] ? [range, target] : [target, range];
      if ((narrow[0] as ipaddr.IPv4).match(wide as [ipaddr.IPv4, number])) return rule;
    }
    return undefined;
  }

  function match(item: { indicator: string; type: IndicatorType }): string | undefined {
    const value = values.get(item.indicator);
    if (value !== undefined) return value;
    switch (item.type) {
      case 'domain':
      case 'hostname':
        return matchDomain(item.indicator);
      case 'ipv4':
        if (ranges.length === 0) return undefined;
        if (isIpv4(item.indicator)) return matchIpv4(ipv4ToInt(item.indicator));
        return matchRange([ipaddr.parse(item.indicator), 32]);
      case 'ipv6': {
        if (ranges.length === 0) return undefined;
        const addr = ipaddr.parse(item.indicator);
        return matchRange([addr, addr.kind() === 'ipv4' ? 32 : 128]);
      }
      case 'cidr': {
        if (ranges.length === 0) return undefined;
        // IPv4 CIDRs with integers: ipaddr's parser tries IPv6 first, and a big export has tens of thousands.
        const slash = item.indicator.indexOf('/');
        const network = item.indicator.slice(0, slash);
        if (isIpv4(network)) return matchCidrV4(ipv4ToInt(network), prefixMask(Number(item.indicator.slice(slash + 1))));
        return matchRange(ipaddr.parseCIDR(item.indicator));
      }
      case 'url': {
        const host = urlHost(item.indicator);
        return host ? match(host) : undefined;
      }
      case 'email':
        return matchDomain(item.indicator.slice(item.indicator.lastIndexOf('@') + 1));
      default:
        return undefined;
    }
  }

  return { match, domains };
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A validated dotted quad as an unsigned 32-bit integer (digit by digit: no arrays per address). */
function ipv4ToInt(addr: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < addr.length; i++) {
    const code = addr.charCodeAt(i);
    if (code === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (code - 48);
    }
  }
  return value * 256 + octet;
}

/** Passes through the items the whitelist does not cover, batch by batch, and records the rest in `suppressed`. */
export async function* applyWhitelist(
  batches: AsyncIterable<readonly IntelItem[]> | Iterable<readonly IntelItem[]>,
  whitelist: Whitelist,
  suppressed: Suppressed[],
): AsyncGenerator<IntelItem[]> {
  for await (const batch of batches) {
    const kept: IntelItem[] = [];
    for (const item of batch) {
      const rule = whitelist.match(item);
      if (rule === undefined) kept.push(item);
      else suppressed.push({ indicator: item.indicator, type: item.type, rule });
    }
    if (kept.length > 0) yield kept;
  }
}
