import type { EventRow } from './event-row.js';

/** Which events a query looks at: a half-open time range and one sensor. */
export interface EventFilter {
  /** Inclusive, microseconds since the epoch. */
  sinceUs?: number;
  /** Exclusive, microseconds since the epoch. */
  untilUs?: number;
  sensor?: string;
}

export interface AppendResult {
  /** Rows that were new. */
  inserted: number;
  /** Rows whose identity was already stored (or repeated in the batch). */
  duplicates: number;
}

/** How far one input source was ingested; `head` tells a rotated or replaced file from the one checkpointed. */
export interface IngestCheckpoint {
  source: string;
  head: string;
  /** Bytes of (decompressed) input consumed, at a line boundary. */
  offset: number;
  /** Lines consumed. */
  line: number;
}

export interface StoreSummary {
  events: number;
  sessions: number;
  attempts: number;
  /** Distinct source IPs that made at least one outbound attempt. */
  intruders: number;
  firstUs: number | null;
  lastUs: number | null;
}

/** The dashboard's counters: StoreSummary and the rest, in one answer. */
export interface StoreOverview extends StoreSummary {
  /** Distinct source IPs. */
  sources: number;
  loginsSucceeded: number;
  loginsFailed: number;
  downloads: number;
  /** Sensor names, sorted. */
  sensors: string[];
}

export interface Counted {
  count: number;
}
export interface EventIdCount extends Counted {
  eventid: string;
}
export interface OriginCount {
  ip: string;
  attempts: number;
  sessions: number;
}
export interface PortCount {
  port: number;
  attempts: number;
}
export interface DestinationCount {
  ip: string;
  port: number;
  attempts: number;
}
export interface HostCount extends Counted {
  host: string;
  kind: string;
}
export interface MinuteCount {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  attempts: number;
}
export interface TripleCount {
  src: string;
  port: number;
  dst: string;
  attempts: number;
}
/** A row of the tree map's top-N levels: `null` in a name column means "the rest past the top N" at that level. */
export interface TreeLevelCount {
  level: 1 | 2 | 3;
  src: string | null;
  port: number | null;
  dst: string | null;
  attempts: number;
}
/** Attempts on one UTC day from one source IP, or from every other source ("other"). */
export interface SourceDayCount {
  /** `YYYY-MM-DD`. */
  day: string;
  source: string;
  attempts: number;
}
/** An AfterGlow edge: source IP to "port N", or "port N" to destination IP. */
export interface LinkCount {
  source: string;
  target: string;
  weight: number;
}
export interface GreetingCount extends Counted {
  greeting: string;
}
export interface HttpRequestGroup extends Counted {
  method: string;
  host: string;
  path: string;
  port: number | null;
  /** JSON array of [name, value] pairs, as stored. */
  headers: string;
}
export interface NameCount extends Counted {
  name: string;
}
export interface CredentialCount extends Counted {
  username: string;
  password: string;
  successes: number;
}
export interface DownloadCount extends Counted {
  url: string;
  shasum: string;
}
export interface SessionRow {
  session: string;
  srcIp: string;
  startUs: number;
  endUs: number;
  events: number;
  logins: number;
  commands: number;
  attempts: number;
}

/**
 * Where events live: an embedded DuckDB file or PostgreSQL. Appends are
 * idempotent by event identity; queries aggregate in the database.
 */
export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /** Adds rows whose identity is not stored yet. */
  append(rows: readonly EventRow[]): Promise<AppendResult>;
  /** Folds every stored event into the rollups now; otherwise the first query after a bulk load does it. */
  foldRollups(): Promise<void>;
  getCheckpoint(source: string): Promise<IngestCheckpoint | undefined>;
  putCheckpoint(checkpoint: IngestCheckpoint): Promise<void>;

  summary(filter: EventFilter): Promise<StoreSummary>;
  overview(filter: EventFilter): Promise<StoreOverview>;
  countByEventId(filter: EventFilter): Promise<EventIdCount[]>;
  outboundByOrigin(filter: EventFilter, limit: number): Promise<OriginCount[]>;
  outboundByPort(filter: EventFilter, limit: number): Promise<PortCount[]>;
  outboundByDestination(filter: EventFilter, limit: number): Promise<DestinationCount[]>;
  /** Hosts named in payloads (HTTP Host, TLS SNI). */
  outboundByHost(filter: EventFilter, limit: number): Promise<HostCount[]>;
  /** Only minutes with attempts, in time order. */
  outboundPerMinute(filter: EventFilter): Promise<MinuteCount[]>;
  /** Attempts per (source IP, destination port, destination IP), the most first. */
  outboundTriples(filter: EventFilter, limit: number): Promise<TripleCount[]>;
  /** The tree map's levels: the top `top` sources, their top ports and those ports' top destinations, the rest summed. */
  outboundTree(filter: EventFilter & { port?: number }, top: number): Promise<TreeLevelCount[]>;
  /** Source → port and port → destination edges with at least `minAttempts`, the heaviest `maxEdges`. */
  outboundLinks(filter: EventFilter, minAttempts: number, maxEdges: number): Promise<LinkCount[]>;
  /**
   * Attempts per UTC day of the `sources` busiest source IPs (returned in
   * that order, as text) and of the others together as "other".
   */
  outboundDailyBySource(filter: EventFilter, sources: number): Promise<{ sources: string[]; counts: SourceDayCount[] }>;
  /** UTC days (`YYYY-MM-DD`) with outbound attempts, newest first. */
  outboundDays(filter: EventFilter): Promise<string[]>;
  smtpGreetings(filter: EventFilter, limit: number): Promise<GreetingCount[]>;
  httpRequests(filter: EventFilter, limit: number): Promise<HttpRequestGroup[]>;
  tlsServerNames(filter: EventFilter, limit: number): Promise<NameCount[]>;
  topCredentials(filter: EventFilter, limit: number): Promise<CredentialCount[]>;
  topCommands(filter: EventFilter, limit: number): Promise<NameCount[]>;
  topDownloads(filter: EventFilter, limit: number): Promise<DownloadCount[]>;
  /** The sessions with most events. */
  sessions(filter: EventFilter, limit: number): Promise<SessionRow[]>;
  /** Raw JSON of every stored event in time order (exports, tests). */
  rawEvents(filter: EventFilter): AsyncIterable<string>;
  close(): Promise<void>;
}
