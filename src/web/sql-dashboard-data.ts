import { summariseHttp } from '../analysis/build-report.js';
import type { OutboundRules } from '../analysis/outbound-rules.js';
import type { HoneyscopeEvent } from '../events/event.js';
import type { EventFilter, Store } from '../store/store.js';
import { buildSessionDetail } from './build-session-detail.js';
import { buildTree } from './build-tree.js';
import type { CountRow, DashboardData, DashboardFilter, FeedItem, LinkEdge, RateStep, SessionSummary } from './dashboard-data.js';
import { buildRateSeries, type BucketCount } from './rate-series.js';
import type { SqlRow, SqlRunner } from './sql/sql-runner.js';
import { DUCKDB_WEB_DIALECT, POSTGRES_WEB_DIALECT } from './sql/web-dialect.js';

const ATTEMPT = `eventid = 'cowrie.direct-tcpip.request'`;
const DAY_US = 86_400_000_000;
/** Rows read per list (payload tables); the UI shows the busiest first. */
const LIST_LIMIT = 500;

export interface SqlDashboardDataOptions {
  store: Store;
  sql: SqlRunner;
  /** The outbound classification rules (analysis); without them every request is "unexplored". */
  rules?: OutboundRules;
}

const NO_RULES: OutboundRules = { defaultCategory: 'unexplored', rules: [] };

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  return 0;
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function usIso(us: unknown): string {
  return new Date(num(us) / 1000).toISOString();
}

function parseEvent(raw: unknown): HoneyscopeEvent {
  return JSON.parse(String(raw)) as HoneyscopeEvent;
}

/**
 * The dashboard's data: the Store's own queries where they fit (counters,
 * tree map, link graph, payload lists, top credentials and commands: these
 * read its per-day rollups), and SQL of its own over the same `events` table
 * for the rest (rates per source, session search and detail, the live feed's
 * newest rows).
 */
export function createSqlDashboardData(options: SqlDashboardDataOptions): DashboardData {
  const { store, sql } = options;
  const d = sql.kind === 'duckdb' ? DUCKDB_WEB_DIALECT : POSTGRES_WEB_DIALECT;
  const rules = options.rules ?? NO_RULES;

  function storeFilter(filter: DashboardFilter): EventFilter {
    const out: EventFilter = {};
    if (filter.since) out.sinceUs = filter.since.getTime() * 1000;
    if (filter.until) out.untilUs = filter.until.getTime() * 1000;
    if (filter.sensor) out.sensor = filter.sensor;
    return out;
  }

  /** WHERE clause and parameters for a filter plus extra conditions. */
  function where(filter: DashboardFilter, ...extra: string[]): [string, unknown[]] {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.since) {
      params.push(filter.since.getTime() * 1000);
      conds.push(`ts >= ${d.fromUs(`$${params.length}`)}`);
    }
    if (filter.until) {
      params.push(filter.until.getTime() * 1000);
      conds.push(`ts < ${d.fromUs(`$${params.length}`)}`);
    }
    if (filter.sensor) {
      params.push(filter.sensor);
      conds.push(`sensor = $${params.length}`);
    }
    conds.push(...extra);
    return [conds.length ? `WHERE ${conds.join(' AND ')}` : '', params];
  }

  async function rows(query: string, params: unknown[]): Promise<SqlRow[]> {
    return sql.all(query, params);
  }

  /** Day buckets: from the store's per-day rollups. */
  async function dailyCounts(filter: DashboardFilter & { sources: number }): Promise<{ counts: BucketCount[]; top: string[] }> {
    const daily = await store.outboundDailyBySource(storeFilter(filter), filter.sources);
    const counts = daily.counts.map((c) => ({ bucketMs: Date.parse(`${c.day}T00:00:00Z`), source: c.source, attempts: c.attempts }));
    return { counts, top: daily.sources };
  }

  /** Buckets within a day: from the events of the (short) span the view covers. */
  async function bucketCounts(filter: DashboardFilter & { step: RateStep; sources: number }): Promise<{ counts: BucketCount[]; top: string[] }> {
    const [w, p] = where(filter, ATTEMPT);
    const top =
      filter.sources > 0
        ? (await rows(`SELECT src_ip FROM events ${w} GROUP BY src_ip ORDER BY count(*) DESC, src_ip LIMIT ${filter.sources}`, p)).map((r) => String(r.src_ip))
        : [];
    const params = [...p, ...top];
    const inTop = top.length ? `src_ip IN (${top.map((_, i) => `$${p.length + i + 1}`).join(', ')})` : 'FALSE';
    const counts = await rows(
      `SELECT ${d.bucketMs('ts', filter.step)} AS b, CASE WHEN ${inTop} THEN src_ip ELSE 'other' END AS s, count(*) AS n
       FROM events ${w} GROUP BY 1, 2`,
      params,
    );
    return { counts: counts.map((c) => ({ bucketMs: num(c.b), source: String(c.s), attempts: num(c.n) })), top };
  }

  return {
    async overview(filter) {
      // From the store's per-day rollups: the first paint waits for this.
      const o = await store.overview(storeFilter(filter));
      return {
        events: o.events,
        sessions: o.sessions,
        attempts: o.attempts,
        sources: o.sources,
        outboundSources: o.intruders,
        loginsSucceeded: o.loginsSucceeded,
        loginsFailed: o.loginsFailed,
        downloads: o.downloads,
        firstEvent: o.firstUs === null ? null : usIso(o.firstUs),
        lastEvent: o.lastUs === null ? null : usIso(o.lastUs),
        sensors: o.sensors,
      };
    },

    async lastEventTime(filter) {
      const [w, p] = where(filter);
      const r = (await rows(`SELECT max(${d.toUs('ts')}) AS last_us FROM events ${w}`, p))[0];
      return r?.last_us === null || r?.last_us === undefined ? null : new Date(num(r.last_us) / 1000);
    },

    async rates(filter) {
      const { counts, top } = filter.step === 'day' ? await dailyCounts(filter) : await bucketCounts(filter);
      const sinceMs = filter.since?.getTime() ?? Math.min(...counts.map((c) => c.bucketMs));
      const untilMs = filter.until?.getTime() ?? Math.max(...counts.map((c) => c.bucketMs)) + 1;
      return buildRateSeries(counts, { step: filter.step, sinceMs, untilMs, sources: top.length ? [...top, 'other'] : [] });
    },

    async tree(options) {
      const rows = await store.outboundTree({ ...storeFilter(options), ...(options.port !== undefined ? { port: options.port } : {}) }, Math.trunc(options.top));
      return buildTree(rows);
    },

    async linkGraph(options) {
      const sinceUs = Date.parse(`${options.day}T00:00:00Z`) * 1000;
      const filter: EventFilter = { sinceUs, untilUs: sinceUs + DAY_US, ...(options.sensor ? { sensor: options.sensor } : {}) };
      const edges: LinkEdge[] = await store.outboundLinks(filter, options.minAttempts, Math.trunc(options.maxEdges));
      return { day: options.day, edges };
    },

    async outboundDays(filter) {
      return store.outboundDays(storeFilter(filter));
    },

    async ehlo(filter) {
      return (await store.smtpGreetings(storeFilter(filter), LIST_LIMIT)).map<CountRow>((r) => ({ value: r.greeting, count: r.count }));
    },

    async httpRequests(filter) {
      // Categories and crafted-header tells as the report computes them.
      return summariseHttp(await store.httpRequests(storeFilter(filter), LIST_LIMIT), rules);
    },

    async tlsNames(filter) {
      return (await store.tlsServerNames(storeFilter(filter), LIST_LIMIT)).map<CountRow>((r) => ({ value: r.name, count: r.count }));
    },

    async sessions(search) {
      // The page of sessions is picked from connect events only (by a session's first), then only those
      // are aggregated: over millions of events this avoids grouping every event by session.
      const [w, p] = where(search, `eventid = 'cowrie.session.connect'`, 'session IS NOT NULL');
      let match = '';
      if (search.q) {
        p.push(search.q, `%${search.q.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`);
        const eq = `$${p.length - 1}`;
        const like = `$${p.length}`;
        match = ` AND session IN (SELECT session FROM events WHERE session = ${eq} OR src_ip = ${eq} OR username = ${eq} OR password = ${eq} OR input ILIKE ${like} ESCAPE '\\')`;
      }
      const us = d.toUs('ts');
      const result = await rows(
        `WITH page AS (${d.sessionPage(w, match, search.limit, search.offset)})
         SELECT session, min(src_ip) AS src_ip, min(sensor) AS sensor, min(${us}) AS start_us, max(${us}) AS end_us,
           bool_or(eventid = 'cowrie.login.success') AS ok,
           count(*) FILTER (WHERE eventid = 'cowrie.command.input') AS commands,
           count(*) FILTER (WHERE ${ATTEMPT}) AS attempts
         FROM events WHERE session IN (SELECT session FROM page)
         GROUP BY session ORDER BY start_us DESC, session`,
        p,
      );
      return result.map<SessionSummary>((r) => ({
        session: String(r.session),
        srcIp: str(r.src_ip) ?? '',
        sensor: str(r.sensor) ?? '',
        start: usIso(r.start_us),
        end: usIso(r.end_us),
        loggedIn: r.ok === true,
        commandCount: num(r.commands),
        attemptCount: num(r.attempts),
      }));
    },

    async session(id) {
      const result = await rows(`SELECT raw FROM events WHERE session = $1 ORDER BY ts, id`, [id]);
      return buildSessionDetail(id, result.map((r) => parseEvent(r.raw)));
    },

    async credentials(filter) {
      return (await store.topCredentials(storeFilter(filter), filter.limit)).map((r) => ({
        username: r.username,
        password: r.password,
        attempts: r.count,
        successes: r.successes,
      }));
    },

    async commands(filter) {
      return (await store.topCommands(storeFilter(filter), filter.limit)).map<CountRow>((r) => ({ value: r.name, count: r.count }));
    },

    async recentEvents(options) {
      const us = d.toUs('ts');
      if (options.afterSeq === undefined) {
        const latest = await rows(`SELECT ${us} AS us, raw FROM events ORDER BY ts DESC, id DESC LIMIT ${Math.trunc(options.limit)}`, []);
        return latest.reverse().map<FeedItem>((r) => ({ seq: num(r.us), event: parseEvent(r.raw) }));
      }
      const newer = await rows(`SELECT ${us} AS us, raw FROM events WHERE ts > ${d.fromUs('$1')} ORDER BY ts, id LIMIT ${Math.trunc(options.limit)}`, [options.afterSeq]);
      return newer.map<FeedItem>((r) => ({ seq: num(r.us), event: parseEvent(r.raw) }));
    },
  };
}
