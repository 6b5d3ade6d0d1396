import type { BadIndicator } from '../bad-indicator.js';
import { normaliseIndicator, parseIndicator, type IndicatorType, type IntelRecord } from '../indicator.js';

interface MispAttribute {
  type?: string;
  value?: string;
  to_ids?: boolean | number | string;
  uuid?: string;
  comment?: string;
  timestamp?: string | number;
  deleted?: boolean;
}

interface MispEvent {
  uuid?: string;
  info?: string;
  Orgc?: { name?: string };
  Tag?: Array<{ name?: string }>;
  Attribute?: MispAttribute[];
  Object?: Array<{ Attribute?: MispAttribute[] }>;
}

/** MISP attribute types we take; composite `a|b` types name which part is the indicator. */
const TYPES: Record<string, { part: number; type: IndicatorType | 'ip' }> = {
  'ip-src': { part: 0, type: 'ip' },
  'ip-dst': { part: 0, type: 'ip' },
  'ip-src|port': { part: 0, type: 'ip' },
  'ip-dst|port': { part: 0, type: 'ip' },
  domain: { part: 0, type: 'domain' },
  'domain|ip': { part: 0, type: 'domain' },
  hostname: { part: 0, type: 'hostname' },
  'hostname|port': { part: 0, type: 'hostname' },
  url: { part: 0, type: 'url' },
  md5: { part: 0, type: 'md5' },
  sha1: { part: 0, type: 'sha1' },
  sha256: { part: 0, type: 'sha256' },
  'filename|md5': { part: 1, type: 'md5' },
  'filename|sha1': { part: 1, type: 'sha1' },
  'filename|sha256': { part: 1, type: 'sha256' },
  'email-src': { part: 0, type: 'email' },
  'email-dst': { part: 0, type: 'email' },
};

/** Records from one MISP event (`{"Event": {...}}`): attributes flagged to_ids, in objects too. */
export function mispEventToRecords(doc: unknown, options: { source: string; file: string; bad: BadIndicator[] }): IntelRecord[] {
  const event = (doc as { Event?: MispEvent }).Event;
  if (!event || typeof event !== 'object') throw new SyntaxError(`Cannot read MISP event "${options.file}": expected {"Event": {...}}`);
  const tags = (event.Tag ?? []).map((t) => t.name ?? '').filter((t) => t !== '');
  const tlp = tags.find((t) => t.toLowerCase().startsWith('tlp:'))?.slice(4).toLowerCase();
  const attributes = [...(event.Attribute ?? []), ...(event.Object ?? []).flatMap((o) => o.Attribute ?? [])];
  const records: IntelRecord[] = [];
  for (const a of attributes) {
    if (a.deleted === true || !(a.to_ids === true || a.to_ids === 1 || a.to_ids === '1')) continue;
    const spec = TYPES[a.type ?? ''];
    if (!spec) continue;
    const value = String(a.value ?? '').split('|')[spec.part] ?? '';
    const location = `${options.file}: attribute ${a.uuid ?? '?'}`;
    try {
      const parsed = spec.type === 'ip' ? parseIndicator(value) : { type: spec.type, indicator: normaliseIndicator(spec.type, value) };
      if (spec.type === 'ip' && !['ipv4', 'ipv6', 'cidr'].includes(parsed.type)) throw new SyntaxError(`Invalid ip ${JSON.stringify(value)}: expected an IP address or CIDR`);
      const seen = a.timestamp === undefined ? undefined : Number(a.timestamp) * 1000;
      records.push({
        indicator: parsed.indicator,
        type: parsed.type,
        meta: {
          source: options.source,
          pulseId: event.uuid ?? '',
          pulseName: event.info,
          author: event.Orgc?.name,
          description: a.comment || undefined,
          tags: tags.length > 0 ? tags : undefined,
          tlp,
          firstSeen: seen,
          lastSeen: seen,
          active: true,
        },
      });
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      options.bad.push({ source: options.source, location, value, reason: err.message });
    }
  }
  return records;
}
