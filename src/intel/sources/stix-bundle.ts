import type { BadIndicator } from '../bad-indicator.js';
import { normaliseIndicator, type IndicatorType, type IntelRecord } from '../indicator.js';

interface StixObject {
  type?: string;
  id?: string;
  name?: string;
  description?: string;
  pattern?: string;
  pattern_type?: string;
  valid_from?: string;
  valid_until?: string;
  indicator_types?: string[];
  labels?: string[];
  revoked?: boolean;
}

const COMPARISON = /([a-z0-9-]+):(value|hashes\.(?:'[^']+'|[A-Za-z0-9-]+))\s*=\s*'((?:[^'\\]|\\.)*)'/g;
const HASHES: Record<string, IndicatorType> = { md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256' };

function typeOf(object: string, property: string, value: string): IndicatorType | undefined {
  if (property.startsWith('hashes.')) return object === 'file' ? HASHES[property.slice(7).replace(/'/g, '').toLowerCase()] : undefined;
  switch (object) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return value.includes('/') ? 'cidr' : object === 'ipv4-addr' ? 'ipv4' : 'ipv6';
    case 'domain-name':
      return 'domain';
    case 'url':
      return 'url';
    case 'email-addr':
      return 'email';
    default:
      return undefined;
  }
}

/**
 * Records from the indicator objects of a STIX 2.x bundle. Only simple
 * `object:property = 'value'` comparisons (alone or joined by OR) become
 * indicators; AND, FOLLOWEDBY, MATCHES and other operators are reported.
 */
export function stixBundleToRecords(bundle: unknown, options: { source: string; file: string; bad: BadIndicator[] }): IntelRecord[] {
  const objects = (bundle as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) throw new SyntaxError(`Cannot read STIX bundle "${options.file}": expected an "objects" list`);
  const records: IntelRecord[] = [];
  for (const [index, raw] of objects.entries()) {
    const o = raw as StixObject;
    if (o.type !== 'indicator' || o.revoked === true) continue;
    const location = `${options.file}: objects[${index}] ${o.id ?? ''}`.trimEnd();
    const pattern = o.pattern ?? '';
    const report = (value: string, reason: string): void => void options.bad.push({ source: options.source, location, value, reason });
    if ((o.pattern_type ?? 'stix') !== 'stix') {
      report(pattern, `Unsupported pattern type "${o.pattern_type}": expected stix`);
      continue;
    }
    const stripped = pattern.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    if (/\b(AND|FOLLOWEDBY|MATCHES|LIKE|IN|ISSUBSET|ISSUPERSET|NOT|WITHIN|REPEATS|START|STOP)\b|!=|<|>/.test(stripped)) {
      report(pattern, 'Unsupported STIX pattern: expected simple = comparisons joined by OR');
      continue;
    }
    const comparisons = [...pattern.matchAll(COMPARISON)];
    if (comparisons.length === 0) {
      report(pattern, 'Unsupported STIX pattern: expected an ipv4-addr, ipv6-addr, domain-name, url, email-addr or file hash comparison');
      continue;
    }
    for (const m of comparisons) {
      const value = m[3]!.replace(/\\(.)/g, '$1');
      const type = typeOf(m[1]!, m[2]!, value);
      if (!type) {
        report(value, `Unsupported STIX object path "${m[1]}:${m[2]}"`);
        continue;
      }
      try {
        records.push({
          indicator: normaliseIndicator(type, value),
          type,
          meta: {
            source: options.source,
            pulseId: o.id ?? '',
            pulseName: o.name,
            description: o.description,
            tags: o.indicator_types ?? o.labels,
            firstSeen: o.valid_from ? Date.parse(o.valid_from) : undefined,
            expires: o.valid_until ? Date.parse(o.valid_until) : undefined,
            active: true,
          },
        });
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        report(value, err.message);
      }
    }
  }
  return records;
}
