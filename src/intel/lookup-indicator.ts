import ipaddr from 'ipaddr.js';
import { parseIndicator, type IndicatorType, type IntelItem } from './indicator.js';
import type { IntelStore } from './intel-store.js';

/** Items that list a value: the value itself, a parent name of it, or a CIDR containing it. */
export interface LookupHit {
  items: IntelItem[];
  relation: 'exact' | 'parent' | 'cidr';
}

export interface LookupResult {
  /** The canonical value, or the trimmed input when it is no indicator. */
  value: string;
  type: IndicatorType | undefined;
  hits: LookupHit[];
}

/**
 * Answers "which sources and pulses list this?": the value's own items, then
 * for a name every listed parent, and for an address or CIDR every stored CIDR
 * containing it (a DROP list holds networks, not the address asked about).
 */
export async function lookupIndicator(store: IntelStore, raw: string): Promise<LookupResult> {
  let value = raw.trim();
  let type: IndicatorType | undefined;
  try {
    ({ indicator: value, type } = parseIndicator(raw));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  const hits: LookupHit[] = [];
  const exact = await store.lookup(value);
  if (exact.length > 0) hits.push({ items: exact, relation: 'exact' });
  if (type === 'domain') {
    for (let at = value.indexOf('.'); at !== -1 && value.indexOf('.', at + 1) !== -1; at = value.indexOf('.', at + 1)) {
      const parent = await store.lookup(value.slice(at + 1));
      if (parent.length > 0) hits.push({ items: parent, relation: 'parent' });
    }
  }
  if (type === 'ipv4' || type === 'ipv6' || type === 'cidr') {
    const containing = await containingCidrs(store, value);
    if (containing.length > 0) hits.push({ items: containing, relation: 'cidr' });
  }
  return { value, type, hits };
}

/** Stored CIDRs that contain an address or a CIDR, other than the value itself; a scan, as lookups are rare. */
async function containingCidrs(store: IntelStore, value: string): Promise<IntelItem[]> {
  const [addr, prefix] = value.includes('/') ? ipaddr.parseCIDR(value) : [ipaddr.parse(value), value.includes(':') ? 128 : 32];
  const out: IntelItem[] = [];
  for await (const batch of store.itemBatches({ types: ['cidr'], metaFields: 'full' })) {
    for (const item of batch) {
      if (item.indicator === value) continue;
      const [net, bits] = ipaddr.parseCIDR(item.indicator);
      if (net.kind() === addr.kind() && bits <= prefix && (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits)) out.push(item);
    }
  }
  return out;
}
