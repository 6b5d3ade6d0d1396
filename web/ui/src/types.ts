/** Shapes of the API's JSON (src/web/dashboard-data.ts on the server). */
export interface Overview {
  events: number;
  sessions: number;
  attempts: number;
  sources: number;
  outboundSources: number;
  loginsSucceeded: number;
  loginsFailed: number;
  downloads: number;
  firstEvent: string | null;
  lastEvent: string | null;
  sensors: string[];
}
export interface RatePoint {
  t: string;
  attempts: number;
}
export interface RateSeries {
  view: string;
  step: string;
  total: RatePoint[];
  bySource: { source: string; points: RatePoint[] }[];
}
export interface TreeNode {
  name: string;
  value: number;
  other?: boolean;
  children?: TreeNode[];
}
export interface LinkGraph {
  day: string;
  edges: { source: string; target: string; weight: number }[];
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
export interface SessionDetail extends SessionSummary {
  clientVersion: string | null;
  credentials: { timestamp: string; username: string; password: string; success: boolean }[];
  commands: { timestamp: string; input: string; failed: boolean }[];
  tunnels: { timestamp: string; dstIp: string; dstPort: number; payload: string | null }[];
  downloads: { timestamp: string; url: string | null; shasum: string | null; outfile: string | null; failed: boolean }[];
  ttylog: string | null;
  recording: boolean;
}
export type FeedEvent = Record<string, unknown> & { eventid?: string; timestamp?: string; src_ip?: string; session?: string };
/** One alert of `honeyscope watch` (src/alerts/alert.ts). */
export interface AlertRow {
  id: string;
  timestamp: string;
  record_ts?: number;
  rule: { id: string; level: number; description: string; groups: string[] };
  kind: string;
  src_ip?: string;
  src_port?: number;
  dst_ip?: string;
  dst_port?: number;
  indicator?: { seen: string; type: string; where: string; indicators: string[]; matched: string[]; sources: string[] };
  count: number;
  log: { file: string; line: number; record: string };
}
export interface AlertList {
  alerts: AlertRow[];
  malformed: number;
  complete: boolean;
}
