import { summariseHttp } from '../analysis/build-report.js';
import type { OutboundRules } from '../analysis/outbound-rules.js';
import type { HoneyscopeEvent } from '../events/event.js';
import type { EventFilter, Store } from '../store/store.js';
import { buildSessionDetail } from './build-session-detail.js';
import { buildTree, type TreeRow } from './build-tree.js';
import type { CountRow, DashboardData, DashboardFilter, FeedItem, LinkEdge, SessionSummary } from './dashboard-data.js';
import { buildRateSeries } from './rate-series.js';
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
 * payload lists, top credentials and commands), and SQL of its own over the
 * same `events` table for the rest (rates per source, top-N tree, link graph,
 * session search and detail, the live feed's newest rows).
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

  return {
    async overview(filter) {
      // One scan for every counter: the first paint waits for this.
      const [w, p] = where(filter);
      const us = d.toUs('ts');
      const r =
        (
          await rows(
            `SELECT count(*) AS events, count(DISTINCT session) AS sessions, count(*) FILTER (WHERE ${ATTEMPT}) AS attempts,
               count(DISTINCT src_ip) AS sources, count(DISTINCT src_ip) FILTER (WHERE ${ATTEMPT}) AS outbound_sources,
               count(*) FILTER (WHERE eventid = 'cowrie.login.success') AS ok, count(*) FILTER (WHERE eventid = 'cowrie.login.failed') AS failed,
               count(*) FILTER (WHERE eventid = 'cowrie.session.file_download') AS downloads,
               min(${us}) AS first_us, max(${us}) AS last_us, string_agg(DISTINCT sensor, ',') AS sensors
             FROM events ${w}`,
            p,
          )
        )[0] ?? {};
      const sensors = str(r.sensors);
      return {
        events: num(r.events),
        sessions: num(r.sessions),
        attempts: num(r.attempts),
        sources: num(r.sources),
        outboundSources: num(r.outbound_sources),
        loginsSucceeded: num(r.ok),
        loginsFailed: num(r.failed),
        downloads: num(r.downloads),
        firstEvent: r.first_us === null || r.first_us === undefined ? null : usIso(r.first_us),
        lastEvent: r.last_us === null || r.last_us === undefined ? null : usIso(r.last_us),
        sensors: sensors ? sensors.split(',').sort() : [],
      };
    },

    async lastEventTime(filter) {
      const [w, p] = where(filter);
      const r = (await rows(`SELECT max(${d.toUs('ts')}) AS last_us FROM events ${w}`, p))[0];
      return r?.last_us === null || r?.last_us === undefined ? null : new Date(num(r.last_us) / 1000);
    },

    async rates(filter) {
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
      const sinceMs = filter.since?.getTime() ?? Math.min(...counts.map((c) => num(c.b)));
      const untilMs = filter.until?.getTime() ?? Math.max(...counts.map((c) => num(c.b))) + 1;
      return buildRateSeries(
        counts.map((c) => ({ bucketMs: num(c.b), source: String(c.s), attempts: num(c.n) })),
        { step: filter.step, sinceMs, untilMs, sources: top.length ? [...top, 'other'] : [] },
      );
    },

    async tree(options) {
      const [w, p] = where(options, ATTEMPT, ...(options.port !== undefined ? [`dst_port = ${Math.trunc(options.port)}`] : []));
      const n = Math.trunc(options.top);
      const result = await rows(
        `WITH t AS (SELECT src_ip, dst_port, dst_ip, count(*) AS n FROM events ${w} GROUP BY src_ip, dst_port, dst_ip),
         s AS (SELECT src_ip, sum(n) AS n, row_number() OVER (ORDER BY sum(n) DESC, src_ip) AS r FROM t GROUP BY src_ip),
         p AS (SELECT t.src_ip, t.dst_port, sum(t.n) AS n, row_number() OVER (PARTITION BY t.src_ip ORDER BY sum(t.n) DESC, t.dst_port) AS r
               FROM t JOIN s ON s.src_ip = t.src_ip AND s.r <= ${n} GROUP BY t.src_ip, t.dst_port),
         q AS (SELECT t.src_ip, t.dst_port, t.dst_ip, t.n, row_number() OVER (PARTITION BY t.src_ip, t.dst_port ORDER BY t.n DESC, t.dst_ip) AS r
               FROM t JOIN p ON p.src_ip = t.src_ip AND p.dst_port = t.dst_port AND p.r <= ${n})
         SELECT 1 AS lvl, CASE WHEN r <= ${n} THEN src_ip END AS src, NULL AS port, NULL AS dst, sum(n) AS n FROM s GROUP BY 2
         UNION ALL SELECT 2, src_ip, CASE WHEN r <= ${n} THEN dst_port END, NULL, sum(n) FROM p GROUP BY 2, 3
         UNION ALL SELECT 3, src_ip, dst_port, CASE WHEN r <= ${n} THEN dst_ip END, sum(n) FROM q GROUP BY 2, 3, 4`,
        p,
      );
      return buildTree(
        result.map<TreeRow>((r) => ({
          level: num(r.lvl) as 1 | 2 | 3,
          src: str(r.src),
          port: r.port === null || r.port === undefined ? null : num(r.port),
          dst: str(r.dst),
          attempts: num(r.n),
        })),
      );
    },

    async linkGraph(options) {
      const sinceUs = Date.parse(`${options.day}T00:00:00Z`) * 1000;
      const [w, p] = where(
        { since: new Date(sinceUs / 1000), until: new Date((sinceUs + DAY_US) / 1000), ...(options.sensor ? { sensor: options.sensor } : {}) },
        ATTEMPT,
      );
      const min = Math.trunc(options.minAttempts);
      const max = Math.trunc(options.maxEdges);
      const result = await rows(
        `WITH e AS (
           SELECT src_ip AS a, 'port ' || CAST(dst_port AS VARCHAR) AS b, count(*) AS n FROM events ${w} GROUP BY 1, 2
           UNION ALL
           SELECT 'port ' || CAST(dst_port AS VARCHAR), dst_ip, count(*) FROM events ${w} GROUP BY 1, 2)
         SELECT a, b, n FROM e WHERE n >= ${min} ORDER BY n DESC, a, b LIMIT ${max}`,
        p,
      );
      const edges: LinkEdge[] = result.map((r) => ({ source: String(r.a), target: String(r.b), weight: num(r.n) }));
      return { day: options.day, edges };
    },

    async outboundDays(filter) {
      const [w, p] = where(filter, ATTEMPT);
      const result = await rows(`SELECT DISTINCT ${d.day('ts')} AS day FROM events ${w} ORDER BY 1 DESC`, p);
      return result.map((r) => String(r.day));
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
      // The page of sessions is picked from connect events only (one per session), then only those are
      // aggregated: over millions of events this avoids grouping every event by session.
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
        `WITH page AS (
           SELECT session, min(ts) AS started FROM events ${w}${match}
           GROUP BY session ORDER BY started DESC, session LIMIT ${Math.trunc(search.limit)} OFFSET ${Math.trunc(search.offset)})
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
