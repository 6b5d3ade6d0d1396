import type { IntelMatch } from './match-record.js';

const FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'seen.indicator', 'seen.indicator_type', 'seen.where', 'seen.node',
  'matched', 'sources', 'fuid', 'file_mime_type', 'file_desc', 'indicators', 'log.file', 'log.line', 'log.record',
] as const;
const TYPES = [
  'time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'enum', 'enum', 'string',
  'set[enum]', 'set[string]', 'string', 'string', 'string', 'set[string]', 'string', 'count', 'string',
] as const;
const NODE = 'honeyscope';

const ZEEK_TYPE: Record<string, string> = {
  ipv4: 'Intel::ADDR', ipv6: 'Intel::ADDR', cidr: 'Intel::SUBNET', silk: 'Intel::SUBNET', domain: 'Intel::DOMAIN', hostname: 'Intel::DOMAIN',
  url: 'Intel::URL', md5: 'Intel::FILE_HASH', sha1: 'Intel::FILE_HASH', sha256: 'Intel::FILE_HASH', email: 'Intel::EMAIL',
};

/**
 * The header of a Zeek intel.log (TSV), with honeyscope's extra columns
 * after Zeek's: the listed indicators and the file, line and text of the record.
 */
export function intelLogHeader(openedAt: Date): string {
  const open = openedAt.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tintel',
    `#open\t${open}`,
    `#fields\t${FIELDS.join('\t')}`,
    `#types\t${TYPES.join('\t')}`,
  ].join('\n') + '\n';
}

/** The closing line of an intel.log. */
export function intelLogFooter(closedAt: Date): string {
  return `#close\t${closedAt.toISOString().slice(0, 19).replace(/[T:]/g, '-')}\n`;
}

/** One match as the fields of an intel.log row, keyed as Zeek's JSON writer keys them. */
export function intelLogFields(match: IntelMatch): Record<string, unknown> {
  const r = match.record;
  const matched = [...new Set(match.entries.map((e) => ZEEK_TYPE[e.type] ?? e.type))].sort();
  const sources = [...new Set(match.entries.flatMap((e) => e.sources))].sort();
  return {
    ts: r.ts,
    uid: r.uid,
    'id.orig_h': r.srcIp,
    'id.orig_p': r.srcPort,
    'id.resp_h': r.dstIp,
    'id.resp_p': r.dstPort,
    'seen.indicator': match.seen,
    'seen.indicator_type': match.seenType,
    'seen.where': match.where,
    'seen.node': NODE,
    matched,
    sources,
    fuid: r.fuid,
    file_mime_type: r.mimeType,
    file_desc: undefined,
    indicators: [...new Set(match.entries.map((e) => e.indicator))].sort(),
    'log.file': r.file,
    'log.line': r.line,
    'log.record': r.raw,
  };
}

/** One intel.log TSV row; tabs, newlines and backslashes in values are escaped as Zeek escapes them. */
export function intelLogLine(match: IntelMatch): string {
  const fields = intelLogFields(match);
  return `${FIELDS.map((name) => tsvValue(fields[name], name === 'ts')).join('\t')}\n`;
}

/** One match as a JSON line (Zeek's JSON writer: unset fields omitted). */
export function intelJsonLine(match: IntelMatch): string {
  const fields = intelLogFields(match);
  const out: Record<string, unknown> = {};
  for (const name of FIELDS) if (fields[name] !== undefined) out[name] = fields[name];
  return `${JSON.stringify(out)}\n`;
}

function tsvValue(value: unknown, isTime: boolean): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.map((v) => escapeTsv(String(v)).replace(/,/g, '\\x2c')).join(',');
  if (isTime && typeof value === 'number') return value.toFixed(6);
  const text = escapeTsv(String(value));
  return text === '' ? '(empty)' : text === '-' ? '\\x2d' : text;
}

function escapeTsv(text: string): string {
  return text.replace(/[\\\t\n\r\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
