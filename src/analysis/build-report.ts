import type {
  CredentialCount,
  DestinationCount,
  DownloadCount,
  EventFilter,
  EventIdCount,
  GreetingCount,
  HostCount,
  HttpRequestGroup,
  NameCount,
  OriginCount,
  PortCount,
  SessionRow,
  Store,
} from '../store/store.js';
import { classifyPayload } from './classify-payload.js';
import { headerTells, type HeaderTell } from './header-tells.js';
import { buildLinkGraph, type LinkGraph, type LinkGraphThresholds } from './link-graph.js';
import type { OutboundRules } from './outbound-rules.js';
import { rollupRates, type RateBucket } from './rate-rollups.js';
import { buildTreeMap, type TreeNode } from './tree-map.js';

export interface HttpRequestSummary {
  method: string;
  host: string;
  path: string;
  category: string;
  count: number;
  tells: HeaderTell[];
  /** The headers of the most frequent variant, in order. */
  headers: Array<[string, string]>;
}

export interface Report {
  generatedAt: string;
  filter: { since: string | null; until: string | null; sensor: string | null };
  range: { first: string | null; last: string | null };
  events: number;
  sessions: number;
  eventIds: EventIdCount[];
  outbound: {
    attempts: number;
    /** Source IPs with at least one outbound attempt. */
    intruders: number;
    byOriginIp: OriginCount[];
    byPort: PortCount[];
    byDestination: DestinationCount[];
    byHost: HostCount[];
    peakPerMinute: { minute: string; attempts: number } | null;
    rates: { fiveMinutes: RateBucket[]; hours: RateBucket[]; days: RateBucket[] };
    treeMap: TreeNode[];
    linkGraph: (LinkGraph & { day: string }) | null;
  };
  smtp: { ehlo: GreetingCount[] };
  http: { requests: HttpRequestSummary[]; byCategory: Array<{ category: string; count: number }> };
  tls: { sni: NameCount[] };
  credentials: CredentialCount[];
  commands: NameCount[];
  downloads: DownloadCount[];
  topSessions: SessionRow[];
}

export interface ReportOptions {
  filter?: EventFilter;
  rules: OutboundRules;
  /** Rows per table. */
  limit?: number;
  /** UTC day `YYYY-MM-DD` of the link graph; default the day with most attempts. */
  linkDay?: string;
  linkThresholds?: LinkGraphThresholds;
  now?: () => Date;
}

const HTTP_VARIANTS = 5000;
const TREE_TRIPLES = 20_000;
const LINK_TRIPLES = 5000;
const DAY_US = 86_400_000_000;

/** Runs the analysis queries on a store and assembles the report. */
export async function buildReport(store: Store, options: ReportOptions): Promise<Report> {
  const filter = options.filter ?? {};
  const limit = options.limit ?? 50;
  const [summary, eventIds, byOriginIp, byPort, byDestination, byHost, minutes, triples, ehlo, http, sni, credentials, commands, downloads, topSessions] =
    await Promise.all([
      store.summary(filter),
      store.countByEventId(filter),
      store.outboundByOrigin(filter, limit),
      store.outboundByPort(filter, limit),
      store.outboundByDestination(filter, limit),
      store.outboundByHost(filter, limit),
      store.outboundPerMinute(filter),
      store.outboundTriples(filter, TREE_TRIPLES),
      store.smtpGreetings(filter, limit),
      store.httpRequests(filter, HTTP_VARIANTS),
      store.tlsServerNames(filter, limit),
      store.topCredentials(filter, limit),
      store.topCommands(filter, limit),
      store.topDownloads(filter, limit),
      store.sessions(filter, limit),
    ]);
  // Quiet days count too: the rate graph spans the filter, but never past the events on either side
  // (`--since 99999999d` must not ask for a bucket per day since the Bronze Age).
  const fromUs = filter.sinceUs !== undefined && summary.firstUs != null ? Math.max(filter.sinceUs, summary.firstUs) : (summary.firstUs ?? filter.sinceUs);
  const toUs = filter.untilUs !== undefined && summary.lastUs != null ? Math.min(filter.untilUs - 1, summary.lastUs) : (summary.lastUs ?? (filter.untilUs !== undefined ? filter.untilUs - 1 : undefined));
  const rates = rollupRates(minutes, {
    ...(fromUs != null ? { fromMs: fromUs / 1000 } : {}),
    ...(toUs != null ? { toMs: toUs / 1000 } : {}),
  });
  const linkDay = options.linkDay ?? busiestDay(rates.days);
  let linkGraph: Report['outbound']['linkGraph'] = null;
  if (linkDay !== undefined) {
    const sinceUs = Date.parse(`${linkDay}T00:00:00Z`) * 1000;
    const dayTriples = await store.outboundTriples({ ...filter, sinceUs: Math.max(sinceUs, filter.sinceUs ?? -Infinity), untilUs: Math.min(sinceUs + DAY_US, filter.untilUs ?? Infinity) }, LINK_TRIPLES);
    linkGraph = { day: linkDay, ...buildLinkGraph(dayTriples, options.linkThresholds) };
  }
  const requests = summariseHttp(http, options.rules);
  return {
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    filter: { since: isoOrNull(filter.sinceUs), until: isoOrNull(filter.untilUs), sensor: filter.sensor ?? null },
    range: { first: isoOrNull(summary.firstUs), last: isoOrNull(summary.lastUs) },
    events: summary.events,
    sessions: summary.sessions,
    eventIds,
    outbound: {
      attempts: summary.attempts,
      intruders: summary.intruders,
      byOriginIp,
      byPort,
      byDestination,
      byHost,
      peakPerMinute: rates.peakPerMinute,
      rates: { fiveMinutes: rates.fiveMinutes, hours: rates.hours, days: rates.days },
      treeMap: buildTreeMap(triples),
      linkGraph,
    },
    smtp: { ehlo },
    http: { requests: requests.slice(0, limit), byCategory: byCategory(requests) },
    tls: { sni },
    credentials,
    commands,
    downloads,
    topSessions,
  };
}

/**
 * Classifies each stored request variant and groups them by method, host,
 * path and category, keeping every tell seen (pure).
 */
export function summariseHttp(variants: readonly HttpRequestGroup[], rules: OutboundRules): HttpRequestSummary[] {
  const groups = new Map<string, HttpRequestSummary & { top: number }>();
  for (const v of variants) {
    const headers = parseHeaders(v.headers);
    const userAgent = headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? null;
    const category = classifyPayload({ kind: 'http', port: v.port, host: v.host, path: v.path, method: v.method, userAgent }, rules);
    const key = JSON.stringify([v.method, v.host, v.path, category]);
    const tells = headerTells(headers);
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, { method: v.method, host: v.host, path: v.path, category, count: v.count, tells, headers, top: v.count });
      continue;
    }
    g.count += v.count;
    for (const t of tells) if (!g.tells.includes(t)) g.tells.push(t);
    if (v.count > g.top) {
      g.top = v.count;
      g.headers = headers;
    }
  }
  return [...groups.values()]
    .map(({ top: _top, ...rest }) => rest)
    .sort((a, b) => b.count - a.count || cmp(a.method, b.method) || cmp(a.host, b.host) || cmp(a.path, b.path) || cmp(a.category, b.category));
}

function byCategory(requests: readonly HttpRequestSummary[]): Array<{ category: string; count: number }> {
  const m = new Map<string, number>();
  for (const r of requests) m.set(r.category, (m.get(r.category) ?? 0) + r.count);
  return [...m].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || cmp(a.category, b.category));
}

function parseHeaders(json: string): Array<[string, string]> {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string') : [];
}

function busiestDay(days: readonly RateBucket[]): string | undefined {
  let best: RateBucket | undefined;
  for (const d of days) if (best === undefined || d.total > best.total) best = d;
  return best?.start.slice(0, 10);
}

function isoOrNull(us: number | null | undefined): string | null {
  return us == null ? null : new Date(Math.floor(us / 1000)).toISOString();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
