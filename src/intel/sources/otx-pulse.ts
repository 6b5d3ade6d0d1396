import type { BadIndicator } from '../bad-indicator.js';
import { normaliseIndicator, type IndicatorType, type IntelRecord } from '../indicator.js';

export const OTX_WEB = 'https://otx.alienvault.com';

export interface OtxIndicator {
  id?: number | string;
  _id?: number | string;
  indicator: string;
  type: string;
  created?: string | null;
  title?: string | null;
  description?: string | null;
  expiration?: string | null;
  is_active?: number | boolean | null;
}

export interface OtxPulse {
  id: string;
  name?: string;
  description?: string;
  author_name?: string;
  created?: string;
  modified?: string;
  tlp?: string;
  TLP?: string;
  tags?: string[];
  references?: string[];
  indicators?: OtxIndicator[];
}

export interface OtxFilters {
  /** Trusted authors; with pulseIds, a pulse passes if either list names it. Empty: all. */
  authors?: readonly string[];
  pulseIds?: readonly string[];
  /** A pulse must carry at least one of these tags. Empty: all. */
  tags?: readonly string[];
  /** Accepted TLP levels (white, green, amber, red). Empty: all. */
  tlp?: readonly string[];
}

/** OTX indicator types we keep, as the OTX-to-Zeek scripts do, plus CIDR. Others are skipped, not bad. */
export const OTX_TYPES: Record<string, IndicatorType> = {
  IPv4: 'ipv4',
  IPv6: 'ipv6',
  CIDR: 'cidr',
  domain: 'domain',
  hostname: 'hostname',
  URL: 'url',
  URI: 'url',
  email: 'email',
  'FileHash-MD5': 'md5',
  'FileHash-SHA1': 'sha1',
  'FileHash-SHA256': 'sha256',
};

/** OTX times are UTC without a zone (`2023-08-22T09:43:18.855000`); returns epoch ms or undefined. */
export function parseOtxTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const fraction = m[2] ? m[2].slice(0, 4).padEnd(4, '0') : '';
  const ms = Date.parse(`${m[1]}${fraction}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The pulse's TLP, whichever key carries it, lowercased. */
export function pulseTlp(pulse: OtxPulse): string | undefined {
  const tlp = pulse.tlp ?? pulse.TLP;
  return typeof tlp === 'string' && tlp !== '' ? tlp.toLowerCase() : undefined;
}

/** Whether the filters trust this pulse. */
export function acceptPulse(pulse: OtxPulse, filters: OtxFilters): boolean {
  const lower = (xs: readonly string[] | undefined): string[] => (xs ?? []).map((x) => x.toLowerCase());
  const authors = lower(filters.authors);
  const ids = filters.pulseIds ?? [];
  if (authors.length > 0 || ids.length > 0) {
    if (!authors.includes((pulse.author_name ?? '').toLowerCase()) && !ids.includes(pulse.id)) return false;
  }
  const tags = lower(filters.tags);
  if (tags.length > 0 && !(pulse.tags ?? []).some((t) => tags.includes(t.toLowerCase()))) return false;
  const tlp = lower(filters.tlp);
  if (tlp.length > 0 && !tlp.includes(pulseTlp(pulse) ?? '')) return false;
  return true;
}

/** The records of one pulse; invalid values go to `bad` with the pulse and indicator ids. */
export function pulseToRecords(pulse: OtxPulse, bad: BadIndicator[]): IntelRecord[] {
  const records: IntelRecord[] = [];
  const lastSeen = parseOtxTime(pulse.modified) ?? parseOtxTime(pulse.created);
  for (const ind of pulse.indicators ?? []) {
    const type = OTX_TYPES[ind.type];
    if (!type) continue;
    const location = `otx pulse ${pulse.id} indicator ${ind.id ?? ind._id ?? '?'}`;
    let indicator: string;
    try {
      indicator = normaliseIndicator(type, String(ind.indicator));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      bad.push({ source: 'otx', location, value: String(ind.indicator), reason: err.message });
      continue;
    }
    const description = ind.description || ind.title || undefined;
    records.push({
      indicator,
      type,
      meta: {
        source: 'otx',
        pulseId: pulse.id,
        pulseName: pulse.name,
        author: pulse.author_name,
        description: description ?? undefined,
        url: `${OTX_WEB}/pulse/${pulse.id}`,
        tags: pulse.tags && pulse.tags.length > 0 ? [...pulse.tags] : undefined,
        tlp: pulseTlp(pulse),
        firstSeen: parseOtxTime(ind.created) ?? lastSeen,
        lastSeen,
        expires: parseOtxTime(ind.expiration),
        active: ind.is_active === undefined || ind.is_active === null ? true : Boolean(ind.is_active),
      },
    });
  }
  return records;
}
