import type { HoneyscopeEvent } from '../events/event.js';

/** Time window and sensor every dashboard query can be narrowed to. */
export interface DashboardFilter {
  since?: Date;
  until?: Date;
  sensor?: string;
}

export interface Overview {
  events: number;
  sessions: number;
  /** Outbound attempts: `cowrie.direct-tcpip.request` events. */
  attempts: number;
  /** Distinct source IPs. */
  sources: number;
  /** Distinct source IPs that attempted at least one outbound connection. */
  outboundSources: number;
  loginsSucceeded: number;
  loginsFailed: number;
  downloads: number;
  firstEvent: string | null;
  lastEvent: string | null;
  sensors: string[];
}

/** Rate-graph buckets, as Munin's day/week/month/year views. */
export type RateStep = 'minute' | '5min' | 'hour' | 'day';

export interface RatePoint {
  /** Bucket start, ISO 8601 UTC. */
  t: string;
  attempts: number;
}

export interface RateSeries {
  step: RateStep;
  total: RatePoint[];
  /** The busiest source IPs, each with its own points; the rest summed as "other". */
  bySource: { source: string; points: RatePoint[] }[];
}

/** A tree-map node: source IP, then destination port, then destination IP. */
export interface TreeNode {
  name: string;
  value: number;
  /** True for the "other" node that sums what is past the top N. */
  other?: boolean;
  children?: TreeNode[];
}

export interface TreeOptions extends DashboardFilter {
  port?: number;
  /** Children kept per node, the rest summed into "other". */
  top: number;
}

export interface LinkEdge {
  source: string;
  target: string;
  weight: number;
}

/** AfterGlow-style graph: source IP -> destination port -> destination IP for one day. */
export interface LinkGraph {
  day: string;
  /** src -> "port N" and "port N" -> dst edges whose weight passed the threshold. */
  edges: LinkEdge[];
}

export interface LinkGraphOptions {
  day: string;
  sensor?: string;
  /** Drop edges with fewer attempts. */
  minAttempts: number;
  /** Keep the heaviest edges only. */
  maxEdges: number;
}

export interface CountRow {
  value: string;
  count: number;
}

export interface HttpRequestRow {
  method: string;
  host: string;
  path: string;
  category: string;
  tells: string[];
  /** Headers of one example request, in order. */
  headers: [string, string][];
  count: number;
}

export interface CredentialRow {
  username: string;
  password: string;
  attempts: number;
  successes: number;
}

export interface SessionSummary {
  session: string;
  srcIp: string;
  sensor: string;
  start: string;
  end: string | null;
  loggedIn: boolean;
  commandCount: number;
  attemptCount: number;
}

export interface SessionSearch extends DashboardFilter {
  /** Matches session id, source IP, username, password or command text. */
  q?: string;
  limit: number;
  offset: number;
}

export interface SessionDetail extends SessionSummary {
  clientVersion: string | null;
  credentials: { timestamp: string; username: string; password: string; success: boolean }[];
  commands: { timestamp: string; input: string; failed: boolean }[];
  tunnels: { timestamp: string; dstIp: string; dstPort: number; payload: string | null }[];
  downloads: { timestamp: string; url: string | null; shasum: string | null; outfile: string | null; failed: boolean }[];
  /** The recording's path relative to the data dir (`tty/...`), if one was logged. */
  ttylog: string | null;
}

/** An event read back for the live feed; `seq` orders them for polling. */
export interface FeedItem {
  seq: number;
  event: HoneyscopeEvent;
}

/** Everything the dashboard asks of the store. */
export interface DashboardData {
  overview(filter: DashboardFilter): Promise<Overview>;
  /** Time of the newest event, where the rate graph ends by default. */
  lastEventTime(filter: DashboardFilter): Promise<Date | null>;
  rates(filter: DashboardFilter & { step: RateStep; sources: number }): Promise<RateSeries>;
  tree(options: TreeOptions): Promise<TreeNode>;
  linkGraph(options: LinkGraphOptions): Promise<LinkGraph>;
  /** Days that have outbound attempts, newest first. */
  outboundDays(filter: DashboardFilter): Promise<string[]>;
  ehlo(filter: DashboardFilter): Promise<CountRow[]>;
  httpRequests(filter: DashboardFilter): Promise<HttpRequestRow[]>;
  tlsNames(filter: DashboardFilter): Promise<CountRow[]>;
  sessions(search: SessionSearch): Promise<SessionSummary[]>;
  session(id: string): Promise<SessionDetail | null>;
  credentials(filter: DashboardFilter & { limit: number }): Promise<CredentialRow[]>;
  commands(filter: DashboardFilter & { limit: number }): Promise<CountRow[]>;
  /** Events after `afterSeq` (oldest first); `afterSeq` undefined: the latest `limit`. */
  recentEvents(options: { afterSeq?: number; limit: number }): Promise<FeedItem[]>;
}
