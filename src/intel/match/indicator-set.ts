import type { IndicatorType, IntelItem } from '../indicator.js';
import type { Whitelist } from '../whitelist.js';
import { DomainMatcher } from './domain-matcher.js';
import { IpSet, IpSetBuilder } from './ip-set.js';

/** One indicator a matcher can report, with the sources that list it. */
export interface MatchEntry {
  indicator: string;
  type: IndicatorType | 'silk';
  sources: string[];
}

export interface IndicatorSetOptions {
  /** Domain indicators match exactly, as Zeek's intel framework does; default: they cover their subdomains. */
  exactDomains?: boolean;
  /** Values a log record carries that this covers never match, as exports never block them. */
  whitelist?: Whitelist | undefined;
}

const NO_IDS: readonly number[] = Object.freeze([]);

/** Every matcher over one list of entries: IPs and CIDRs, names, URLs and file hashes. */
export interface IndicatorSet {
  readonly entries: readonly MatchEntry[];
  readonly ips: IpSet;
  readonly domains: DomainMatcher;
  url(url: string): readonly number[];
  hash(hash: string): readonly number[];
  readonly whitelist: Whitelist | undefined;
}

/** Collects entries and builds an {@link IndicatorSet}. */
export class IndicatorSetBuilder {
  readonly #entries: MatchEntry[] = [];
  readonly #ips = new IpSetBuilder();
  readonly #domains = new DomainMatcher();
  readonly #urls = new Map<string, number[]>();
  readonly #hashes = new Map<string, number[]>();
  readonly #exactDomains: boolean;
  readonly #whitelist: Whitelist | undefined;

  constructor(options: IndicatorSetOptions = {}) {
    this.#exactDomains = options.exactDomains ?? false;
    this.#whitelist = options.whitelist;
  }

  /** Adds one item; returns false for types no log carries (email). */
  addItem(item: Pick<IntelItem, 'indicator' | 'type'> & { meta: readonly { source: string }[] }): boolean {
    const sources = [...new Set(item.meta.map((m) => m.source))].sort();
    const entry: MatchEntry = { indicator: item.indicator, type: item.type, sources };
    switch (item.type) {
      case 'ipv4':
      case 'ipv6':
      case 'cidr':
        return this.#ips.addCidr(item.indicator, this.#push(entry));
      case 'domain':
      case 'hostname':
        this.#domains.add(item.indicator, this.#push(entry), { subdomains: item.type === 'domain' && !this.#exactDomains });
        return true;
      case 'url':
        pushId(this.#urls, urlKey(item.indicator), this.#push(entry));
        return true;
      case 'md5':
      case 'sha1':
      case 'sha256':
        pushId(this.#hashes, item.indicator.toLowerCase(), this.#push(entry));
        return true;
      case 'email':
        return false;
    }
  }

  /** Adds the IPv4 ranges of one SiLK IP list line; `label` (the line) is shown as the indicator. */
  addSilkRanges(ranges: readonly (readonly [number, number])[], label: string, source: string): void {
    const single = ranges.length === 1 && ranges[0]![0] === ranges[0]![1];
    const id = this.#push({ indicator: label, type: single ? 'ipv4' : 'silk', sources: [source] });
    for (const [start, end] of ranges) this.#ips.addV4(start, end, id);
  }

  /** Adds an address or CIDR from a SiLK IP list; false when it is neither. */
  addSilkCidr(text: string, source: string): boolean {
    const id = this.#entries.length;
    if (!this.#ips.addCidr(text, id)) return false;
    this.#push({ indicator: text, type: text.includes('/') ? 'cidr' : 'ipv6', sources: [source] });
    return true;
  }

  build(): IndicatorSet {
    const urls = this.#urls;
    const hashes = this.#hashes;
    return {
      entries: this.#entries,
      ips: this.#ips.build(),
      domains: this.#domains,
      whitelist: this.#whitelist,
      url(url: string): readonly number[] {
        return urls.size === 0 ? NO_IDS : (urls.get(urlKey(url)) ?? NO_IDS);
      },
      hash(hash: string): readonly number[] {
        return hashes.size === 0 ? NO_IDS : (hashes.get(hash.toLowerCase()) ?? NO_IDS);
      },
    };
  }

  #push(entry: MatchEntry): number {
    this.#entries.push(entry);
    return this.#entries.length - 1;
  }
}

function pushId(map: Map<string, number[]>, key: string, id: number): void {
  const ids = map.get(key);
  if (ids) ids.push(id);
  else map.set(key, [id]);
}

/**
 * URLs compare without scheme, lowercase host and no trailing slash, as
 * Zeek's Intel::URL ("without the prefix http://") and HTTP logs write them.
 */
export function urlKey(url: string): string {
  const noScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = noScheme.indexOf('/');
  const host = (slash === -1 ? noScheme : noScheme.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : noScheme.slice(slash);
  return `${host}${path === '/' ? '' : path}`;
}
