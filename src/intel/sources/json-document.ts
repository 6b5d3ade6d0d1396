import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import { isIndicatorType, normaliseIndicator, parseIndicator, type IntelMeta, type IntelRecord } from '../indicator.js';
import type { ParsedValue } from './feed-line.js';
import { OTX_TYPES, pulseToRecords, type OtxPulse } from './otx-pulse.js';

export interface JsonDocumentOptions {
  file: string;
  /** Metadata every plain value gets; OTX pulses keep their own, under this source. */
  base: IntelMeta;
  bad: BadIndicator[];
}

const VALUE_KEYS = ['cidr', 'ip', 'indicator', 'value', 'domain', 'url'] as const;

/**
 * The indicator of one JSON object: the first of `cidr`, `ip`, `indicator`,
 * `value`, `domain`, `url`, typed by its `type` when that is a Honeyscope or
 * OTX type (so Honeyscope's own JSON export and OTX lists keep their types),
 * else detected from the value. Throws a SyntaxError naming what was expected.
 */
export function jsonObjectIndicator(doc: Record<string, unknown>): ParsedValue {
  const key = VALUE_KEYS.find((k) => doc[k] !== undefined && doc[k] !== null);
  const value = key === undefined ? undefined : doc[key];
  if (typeof value !== 'string') throw new SyntaxError(`Expected a ${VALUE_KEYS.map((k) => `"${k}"`).join(', ')} string`);
  const declared = typeof doc.type === 'string' ? doc.type : undefined;
  const type = declared === undefined ? undefined : isIndicatorType(declared) ? declared : OTX_TYPES[declared];
  // With `indicator`, `type` is the indicator's (OTX, Honeyscope): an unknown one (CVE, JA3, Mutex) is no address or name
  // to guess at. Beside other keys it may mean anything, so the value's own form decides.
  if (type === undefined && declared !== undefined && key === 'indicator') {
    throw new SyntaxError(`Unsupported indicator type ${JSON.stringify(declared)} for ${JSON.stringify(value)}: expected an OTX or Honeyscope indicator type`);
  }
  const parsed = type === undefined ? parseIndicator(value) : { indicator: normaliseIndicator(type, value), type };
  const description = typeof doc.description === 'string' && doc.description !== '' ? doc.description : firstMetaDescription(doc.meta);
  return { ...parsed, description };
}

function firstMetaDescription(meta: unknown): string | undefined {
  const first: unknown = Array.isArray(meta) ? meta[0] : undefined;
  const description = typeof first === 'object' && first !== null ? (first as { description?: unknown }).description : undefined;
  return typeof description === 'string' && description !== '' ? description : undefined;
}

function isPulse(value: unknown): value is OtxPulse {
  return typeof value === 'object' && value !== null && Array.isArray((value as OtxPulse).indicators);
}

/**
 * Records from a whole JSON document: an array of strings or of objects with
 * an indicator (Honeyscope's `intel export -f json` among them), an OTX pulse,
 * or an OTX `results` page of pulses or of indicators. Bad entries go to
 * `bad` with the file and the entry's position.
 */
export function jsonDocumentToRecords(doc: unknown, options: JsonDocumentOptions): IntelRecord[] {
  const { file, base, bad } = options;
  if (isPulse(doc)) return pulseRecords([doc], options);
  let entries: unknown;
  let path: string;
  if (Array.isArray(doc)) {
    entries = doc;
    path = '';
  } else {
    entries = (doc as { results?: unknown } | null)?.results;
    path = 'results';
  }
  if (!Array.isArray(entries)) {
    throw new HoneyscopeError('HS_INTEL', `Cannot read JSON feed "${file}": expected an array of indicators, an OTX pulse or an object with a "results" list`);
  }
  if (entries.some(isPulse)) return pulseRecords(entries.filter(isPulse), options);
  const records: IntelRecord[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      let parsed: ParsedValue;
      if (typeof entry === 'string') parsed = parseIndicator(entry);
      else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) parsed = jsonObjectIndicator(entry as Record<string, unknown>);
      else throw new SyntaxError('Expected a string or an object with an indicator');
      records.push({ indicator: parsed.indicator, type: parsed.type, meta: { ...base, description: parsed.description } });
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      bad.push({ source: base.source, location: `${file}: ${path}[${index}]`, value: JSON.stringify(entry) ?? String(entry), reason: err.message });
    }
  }
  return records;
}

/** OTX pulses through the OTX source's own reader, relabelled with this feed's source and file. */
function pulseRecords(pulses: OtxPulse[], options: JsonDocumentOptions): IntelRecord[] {
  const { file, base, bad } = options;
  const pulseBad: BadIndicator[] = [];
  const records = pulses.flatMap((pulse) => pulseToRecords(pulse, pulseBad));
  for (const b of pulseBad) bad.push({ ...b, source: base.source, location: `${file}: ${b.location}` });
  return records.map((r) => ({ ...r, meta: { ...r.meta, source: base.source } }));
}
