import { normaliseIndicator, parseIndicator, type IndicatorType } from '../indicator.js';

export type LineFormat = 'list' | 'drop' | 'hosts' | 'csv' | 'zeek' | 'ndjson';
export type FeedFormat = LineFormat | 'json' | 'stix' | 'misp-event' | 'misp-feed';

export interface ParsedValue {
  indicator: string;
  type: IndicatorType;
  description?: string | undefined;
}

const HOSTS_SINKS = /^(0\.0\.0\.0|127\.0\.0\.1|::1?|0)$/;
const HOSTS_SKIP = new Set(['localhost', 'localhost.localdomain', 'local', 'broadcasthost', 'ip6-localhost', 'ip6-loopback']);

/**
 * The format of a text feed from its first lines: `#fields` (Zeek intel),
 * `;` comments (Spamhaus DROP), a sink address then a name (hosts), a
 * header or quoted cells with commas (CSV), JSON lines, else a plain list.
 * JSON documents (STIX, MISP, arrays, OTX) are recognised by the caller. Throws on HTML.
 */
export function detectLineFormat(head: string, file: string): LineFormat {
  const lines = head.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (/^<(!doctype|html|head|body|\?xml)/i.test(lines[0] ?? '')) {
    throw new SyntaxError(`Cannot read feed "${file}": it is an HTML or XML page, expected a list of indicators`);
  }
  if (lines.some((l) => l.startsWith('#fields\t'))) return 'zeek';
  const data = lines.filter((l) => !l.startsWith('#') && !l.startsWith(';'));
  const first = data[0] ?? '';
  if (first.startsWith('{')) return 'ndjson';
  if (lines.some((l) => l.startsWith(';'))) return 'drop';
  if (data.slice(0, 5).some((l) => /^\S+\s+\S+/.test(l) && HOSTS_SINKS.test(l.split(/\s+/)[0]!))) return 'hosts';
  if (data.slice(0, 5).some((l) => l.includes(',') && !/^\S+\s*[#;]/.test(l))) return 'csv';
  return 'list';
}

/** A plain-list or DROP line: comments after `#` or `;` (kept as description), `ip:port`, CRLF. Undefined for blank lines. */
export function parseListLine(line: string): ParsedValue | undefined {
  const cut = line.search(/[#;]/);
  const value = (cut === -1 ? line : line.slice(0, cut)).trim();
  const comment = cut === -1 ? undefined : line.slice(cut + 1).trim() || undefined;
  if (value === '') return undefined;
  const withoutPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value)?.[1] ?? value;
  return { ...parseIndicator(withoutPort), description: comment };
}

/** A hosts-file line: names after the address, `localhost` and friends skipped. */
export function parseHostsLine(line: string): ParsedValue[] {
  const cut = line.indexOf('#');
  const fields = (cut === -1 ? line : line.slice(0, cut)).trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length === 0) return [];
  if (fields.length < 2) throw new SyntaxError(`Invalid hosts line ${JSON.stringify(line)}: expected ADDRESS NAME [NAME...]`);
  return fields
    .slice(1)
    .filter((name) => !HOSTS_SKIP.has(name.toLowerCase().replace(/\.$/, '')))
    .map((name) => ({ indicator: normaliseIndicator('domain', name), type: 'domain' as const }));
}

/** One CSV record (RFC 4180 quoting, no line breaks inside quotes). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) throw new SyntaxError(`Invalid CSV line ${JSON.stringify(line)}: unterminated quoted field`);
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
      if (i < line.length && line[i] !== ',') throw new SyntaxError(`Invalid CSV line ${JSON.stringify(line)}: expected a comma after a quoted field`);
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      cells.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return cells;
}

const VALUE_COLUMNS = ['indicator', 'ioc', 'value', 'dst_ip', 'dstip', 'ip', 'ip_address', 'ipaddress', 'src_ip', 'cidr', 'network', 'domain', 'hostname', 'host', 'url', 'sha256', 'sha1', 'md5', 'email'];
const DESC_COLUMNS = ['description', 'desc', 'malware', 'comment', 'threat', 'tags'];

/** Which CSV columns hold the value and a description, from a header row; undefined when the row is data. */
export function csvColumns(header: string[]): { value: number; description: number } | undefined {
  const names = header.map((h) => h.trim().toLowerCase());
  const value = VALUE_COLUMNS.map((c) => names.indexOf(c)).find((i) => i !== -1);
  if (value === undefined) return undefined;
  return { value, description: DESC_COLUMNS.map((c) => names.indexOf(c)).find((i) => i !== -1) ?? -1 };
}

const ZEEK_TYPES: Record<string, IndicatorType | 'ip' | 'hash'> = {
  'Intel::ADDR': 'ip',
  'Intel::SUBNET': 'cidr',
  'Intel::DOMAIN': 'domain',
  'Intel::URL': 'url',
  'Intel::EMAIL': 'email',
  'Intel::FILE_HASH': 'hash',
  'Intel::CERT_HASH': 'sha1',
};

/** One data line of a Zeek intel file, given the `#fields` names. */
export function parseZeekLine(line: string, fields: readonly string[]): ParsedValue & { source?: string | undefined; url?: string | undefined } {
  const cells = line.split('\t');
  const get = (name: string): string | undefined => {
    const v = cells[fields.indexOf(name)];
    return v === undefined || v === '-' || v === '(empty)' ? undefined : v;
  };
  const raw = get('indicator') ?? '';
  const zeekType = get('indicator_type') ?? '';
  const kind = ZEEK_TYPES[zeekType];
  if (!kind) throw new SyntaxError(`Unsupported Zeek indicator type ${JSON.stringify(zeekType)} for ${JSON.stringify(raw)}`);
  let parsed: { indicator: string; type: IndicatorType };
  if (kind === 'ip' || kind === 'hash') {
    parsed = parseIndicator(raw);
    const ok = kind === 'ip' ? ['ipv4', 'ipv6'] : ['md5', 'sha1', 'sha256'];
    if (!ok.includes(parsed.type)) throw new SyntaxError(`Invalid ${zeekType} ${JSON.stringify(raw)}: expected ${kind === 'ip' ? 'an IP address' : 'an MD5, SHA-1 or SHA-256 hash'}`);
  } else {
    parsed = { indicator: normaliseIndicator(kind, raw), type: kind };
  }
  return { ...parsed, description: get('meta.desc'), source: get('meta.source'), url: get('meta.url') };
}
