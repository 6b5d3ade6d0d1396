import ipaddr from 'ipaddr.js';
import type { BadIndicator } from '../bad-indicator.js';
import { normaliseIndicator, urlHost, type IndicatorType, type IntelRecord } from '../indicator.js';
import type { IntelStore } from '../intel-store.js';

/** The event fields the honeypot source needs (Cowrie names). */
export interface HoneypotEvent {
  eventid: string;
  timestamp: string;
  src_ip?: string | null;
  dst_ip?: string | null;
  url?: string | null;
  shasum?: string | null;
  /** For honeyscope.scan.result: the clamd verdict and signatures. */
  verdict?: string | null;
  signatures?: readonly string[] | null;
}

/** Reads the sensor's events since an epoch ms; the lead wires it to the events store. */
export type ReadHoneypotEvents = (since: number) => AsyncIterable<HoneypotEvent>;

export interface HoneypotSourceOptions {
  now: number;
  /** Login attempts an address needs before it is listed. */
  minAttempts?: number;
  /** Events older than this are ignored, and listed indicators expire this long after last seen. */
  maxAgeMs?: number;
  source?: string;
}

interface Tally {
  type: IndicatorType;
  first: number;
  last: number;
  count: number;
  what: string;
}

const LOGIN = new Set(['cowrie.login.failed', 'cowrie.login.success']);
const DOWNLOAD = new Set(['cowrie.session.file_download', 'cowrie.session.file_download.failed']);
const FILE = new Set(['cowrie.session.file_download', 'cowrie.session.file_upload']);

/** Only public unicast addresses are indicators: the sensor's own loopback or LAN never is. */
function isPublic(addr: string): boolean {
  return ipaddr.isValid(addr) && ipaddr.process(addr).range() === 'unicast';
}

/**
 * The honeypot's own indicators: source addresses with at least `minAttempts`
 * logins, download URLs and their hosts, and hashes of captured files. Tunnel
 * destinations (cowrie.direct-tcpip.*) are the bots' victims: they are never
 * indicators, whatever else names them.
 */
export async function collectHoneypotIndicators(read: ReadHoneypotEvents, options: HoneypotSourceOptions): Promise<{ records: IntelRecord[]; bad: BadIndicator[] }> {
  const maxAge = options.maxAgeMs ?? 30 * 86_400_000;
  const since = options.now - maxAge;
  const source = options.source ?? 'honeypot';
  const attempts = new Map<string, Tally>();
  const found = new Map<string, Tally & { indicator: string }>();
  const victims = new Set<string>();
  const bad: BadIndicator[] = [];

  function note(type: IndicatorType, indicator: string, at: number, what: string): void {
    const key = `${type} ${indicator}`;
    const t = found.get(key);
    if (t) {
      t.first = Math.min(t.first, at);
      t.last = Math.max(t.last, at);
      t.count += 1;
      // A clamd verdict says more than "captured file".
      if (what.startsWith('infected')) t.what = what;
    } else {
      found.set(key, { type, indicator, first: at, last: at, count: 1, what });
    }
  }

  for await (const e of read(since)) {
    const at = Date.parse(e.timestamp);
    if (!Number.isFinite(at) || at < since) continue;
    if (e.eventid.startsWith('cowrie.direct-tcpip.')) {
      if (e.dst_ip && ipaddr.isValid(e.dst_ip)) victims.add(ipaddr.process(e.dst_ip).toString());
      continue;
    }
    if (LOGIN.has(e.eventid) && e.src_ip && isPublic(e.src_ip)) {
      const ip = ipaddr.process(e.src_ip).toString();
      const t = attempts.get(ip);
      if (t) {
        t.count += 1;
        t.first = Math.min(t.first, at);
        t.last = Math.max(t.last, at);
      } else {
        attempts.set(ip, { type: ip.includes(':') ? 'ipv6' : 'ipv4', first: at, last: at, count: 1, what: 'login attempts' });
      }
    }
    if (DOWNLOAD.has(e.eventid) && e.url && /^(https?|ftp|tftp):\/\//i.test(e.url)) {
      try {
        note('url', normaliseIndicator('url', e.url), at, 'download URL');
        const host = urlHost(e.url);
        if (host && (host.type === 'domain' || isPublic(host.indicator))) note(host.type, host.indicator, at, 'download host');
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        bad.push({ source, location: `event ${e.eventid} at ${e.timestamp}`, value: e.url, reason: err.message });
      }
    }
    const infected = e.eventid === 'honeyscope.scan.result' && e.verdict === 'infected';
    if ((FILE.has(e.eventid) || infected) && e.shasum) {
      try {
        note('sha256', normaliseIndicator('sha256', e.shasum), at, infected ? `infected: ${(e.signatures ?? []).join(', ')}` : 'captured file');
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        bad.push({ source, location: `event ${e.eventid} at ${e.timestamp}`, value: e.shasum, reason: err.message });
      }
    }
  }
  for (const [ip, t] of attempts) {
    if (t.count >= (options.minAttempts ?? 5)) found.set(`${t.type} ${ip}`, { ...t, indicator: ip });
  }
  const records: IntelRecord[] = [];
  for (const t of found.values()) {
    if ((t.type === 'ipv4' || t.type === 'ipv6') && victims.has(t.indicator)) continue;
    records.push({
      indicator: t.indicator,
      type: t.type,
      meta: {
        source,
        pulseId: '',
        description: `${t.what} (${t.count})`,
        tags: ['honeypot'],
        firstSeen: t.first,
        lastSeen: t.last,
        expires: t.last + maxAge,
        active: true,
      },
    });
  }
  records.sort((a, b) => (a.type === b.type ? (a.indicator < b.indicator ? -1 : 1) : a.type < b.type ? -1 : 1));
  return { records, bad };
}

/** Replaces the honeypot source in the store with what the events say now. */
export async function syncHoneypot(store: IntelStore, read: ReadHoneypotEvents, options: HoneypotSourceOptions): Promise<{ records: number; bad: BadIndicator[] }> {
  const { records, bad } = await collectHoneypotIndicators(read, options);
  return { records: await store.replaceSource(options.source ?? 'honeypot', records), bad };
}
