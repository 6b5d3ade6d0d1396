import { normaliseIndicator, parseIndicator } from '../indicator.js';
import type { Whitelist } from '../whitelist.js';
import type { IndicatorSet, MatchEntry } from './indicator-set.js';
import { recordField, type LogRecord } from './log-record.js';

/** Which values to look at: rwfilter's --sipset, --dipset, --anyset (addresses only), or everything. */
export type MatchScope = 'sip' | 'dip' | 'any' | 'all';

/** Zeek's Intel::Type names, as intel.log writes them. */
export type SeenType = 'Intel::ADDR' | 'Intel::DOMAIN' | 'Intel::URL' | 'Intel::FILE_HASH';

/** One value of a record found in the set, with every entry that listed it (Zeek's Intel::Seen plus items). */
export interface IntelMatch {
  record: LogRecord;
  seen: string;
  seenType: SeenType;
  /** Zeek's Intel::Where, extended with the honeypot's own places. */
  where: string;
  entries: MatchEntry[];
}

/**
 * The matches of one record; empty when nothing in it is listed. A reader
 * that has already looked up the source or destination address passes its
 * ids (`srcIds`, `dstIds`) rather than have the text parsed again.
 */
export function matchRecord(set: IndicatorSet, record: LogRecord, scope: MatchScope = 'all', srcIds?: readonly number[], dstIds?: readonly number[]): IntelMatch[] {
  // No closures here: this runs once per log line.
  const out: IntelMatch[] = [];
  const honeypot = record.format === 'cowrie';
  if (scope !== 'dip' && record.srcIp !== undefined) {
    add(out, set, record, record.srcIp, 'Intel::ADDR', honeypot ? 'SSH::IN_CLIENT_ADDR' : 'Conn::IN_ORIG', srcIds ?? set.ips.ids(record.srcIp));
  }
  if (scope !== 'sip' && record.dstIp !== undefined) {
    add(out, set, record, record.dstIp, 'Intel::ADDR', record.kind === 'tunnel' ? 'Tunnel::IN_DEST' : 'Conn::IN_RESP', dstIds ?? set.ips.ids(record.dstIp));
  }
  if (scope !== 'all') return out;
  if (record.query !== undefined) {
    add(out, set, record, record.query, 'Intel::DOMAIN', record.kind === 'tunnel' ? 'Tunnel::IN_DEST' : 'DNS::IN_REQUEST', set.domains.ids(record.query));
  }
  // A name that resolves to a listed address (or a listed CNAME) is the main reason to read DNS logs.
  if (record.kind === 'dns') {
    for (const answer of dnsAnswers(recordField(record, 'answers'))) {
      const ip = IPV4_OR_V6.test(answer);
      add(out, set, record, answer, ip ? 'Intel::ADDR' : 'Intel::DOMAIN', 'DNS::IN_RESPONSE', ip ? set.ips.ids(answer) : set.domains.ids(answer));
    }
  }
  if (record.host !== undefined) add(out, set, record, record.host, 'Intel::DOMAIN', honeypot ? 'Tunnel::IN_HOST' : 'HTTP::IN_HOST_HEADER', set.domains.ids(record.host));
  if (record.url !== undefined) add(out, set, record, record.url, 'Intel::URL', honeypot ? 'Download::IN_URL' : 'HTTP::IN_URL', set.url(record.url));
  if (record.hashes) for (const hash of record.hashes) add(out, set, record, hash, 'Intel::FILE_HASH', 'Files::IN_HASH', set.hash(hash));
  return out;
}

/** Crude on purpose: an answer is an address or a name, and the sets parse what they are given. */
const IPV4_OR_V6 = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

/** Zeek's `answers`: a JSON array, or a TSV cell joined by commas ("-" unset, "(empty)" none). */
function dnsAnswers(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string' || value === '-' || value === '(empty)' || value === '') return [];
  return value.split(',');
}

function add(out: IntelMatch[], set: IndicatorSet, record: LogRecord, seen: string, seenType: SeenType, where: string, ids: readonly number[]): void {
  if (ids.length === 0 || (set.whitelist && whitelistRule(set.whitelist, seen, seenType) !== undefined)) return;
  out.push({ record, seen, seenType, where, entries: ids.map((id) => set.entries[id]!) });
}

/**
 * The whitelist rule covering a value seen in a log, or undefined. Indicators the
 * whitelist covers are already left out of the set; this keeps out the rest, as
 * the RPZ export's passthru rules do: a whitelisted name under a listed parent,
 * a whitelisted address inside a SiLK range.
 */
function whitelistRule(whitelist: Whitelist, seen: string, seenType: SeenType): string | undefined {
  try {
    return whitelist.match(seenType === 'Intel::URL' ? { indicator: normaliseIndicator('url', seen), type: 'url' } : parseIndicator(seen));
  } catch (err) {
    // A value that is no valid indicator cannot be whitelisted either.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
