import { normaliseIndicator, parseIndicator } from '../indicator.js';
import type { Whitelist } from '../whitelist.js';
import type { IndicatorSet, MatchEntry } from './indicator-set.js';
import type { LogRecord } from './log-record.js';

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
  if (record.host !== undefined) add(out, set, record, record.host, 'Intel::DOMAIN', honeypot ? 'Tunnel::IN_HOST' : 'HTTP::IN_HOST_HEADER', set.domains.ids(record.host));
  if (record.url !== undefined) add(out, set, record, record.url, 'Intel::URL', honeypot ? 'Download::IN_URL' : 'HTTP::IN_URL', set.url(record.url));
  if (record.hashes) for (const hash of record.hashes) add(out, set, record, hash, 'Intel::FILE_HASH', 'Files::IN_HASH', set.hash(hash));
  return out;
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
