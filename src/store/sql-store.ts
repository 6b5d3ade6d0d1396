import type { EventRow } from './event-row.js';
import type {
  AppendResult,
  CredentialCount,
  DestinationCount,
  DownloadCount,
  EventFilter,
  EventIdCount,
  GreetingCount,
  HostCount,
  HttpRequestGroup,
  IngestCheckpoint,
  MinuteCount,
  NameCount,
  OriginCount,
  PortCount,
  SessionRow,
  Store,
  StoreSummary,
  SourceDayCount,
  TreeLevelCount,
  TripleCount,
  LinkCount,
  StoreOverview,
} from './store.js';
import { queryScope, type QueryScope } from './query-scope.js';
import { SqlParams } from './sql-params.js';
import { RefreshGate } from './refresh-gate.js';
import {
  ATTEMPT,
  ATTEMPT_SESSIONS,
  COMMANDS,
  DOWNLOADS,
  EVENTIDS,
  LOGINS,
  MINUTES,
  MULTI_SESSIONS_TABLE,
  OUTBOUND,
  PAYLOADS,
  SESSION_CELLS,
  SESSIONS,
  SOURCES,
  aggregateSql,
  rollupColumns,
  type Rollup,
} from './rollups.js';

/** The few expressions where DuckDB and PostgreSQL SQL differ. */
export interface SqlDialect {
  /** A timestamp from a bound microseconds-since-epoch parameter. */
  timestampFromUs(param: string): string;
  /** Microseconds since the epoch of a timestamp column, as a 64-bit integer. */
  epochUs(column: string): string;
  /** Start of the minute of `ts`, ms since the epoch, as a 64-bit integer. */
  minuteMs(column: string): string;
  /** The UTC day of a timestamp column, as a DATE. */
  dayOf(column: string): string;
}

export type SqlRow = Record<string, unknown>;

const RAW_PAGE = 5000;

/**
 * The analysis queries, written once in the SQL both databases speak. They
 * read per-day rollups (see rollups.ts) for the whole days of a filter and
 * `events` only for the partial days at its edges; each first folds what was
 * stored since the last refresh into the rollups. Implementations supply the
 * connection (`all`), the dialect, appends and that refresh.
 */
export abstract class SqlStore implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  protected abstract readonly dialect: SqlDialect;
  /**
   * A condition on `events` rows that a refresh could not fold yet (it folds
   * only what is certain not to change), which queries read from `events`; none
   * where a refresh folds every committed row.
   */
  protected unfolded(): string | undefined {
    return undefined;
  }
  protected abstract all(sql: string, params: readonly unknown[]): Promise<SqlRow[]>;
  abstract append(rows: readonly EventRow[]): Promise<AppendResult>;
  abstract getCheckpoint(source: string): Promise<IngestCheckpoint | undefined>;
  abstract putCheckpoint(checkpoint: IngestCheckpoint): Promise<void>;
  abstract close(): Promise<void>;
  /**
   * Folds every row committed to `events` since the last refresh into the
   * rollups, in one transaction; calls `begin` just before it looks for them.
   */
  protected abstract refreshRollups(begin: () => void): Promise<void>;

  readonly #refresh = new RefreshGate((begin) => this.refreshRollups(begin));

  /** Brings the rollups up to date with every row committed before this call. */
  protected fresh(): Promise<void> {
    return this.#refresh.request();
  }

  foldRollups(): Promise<void> {
    return this.fresh();
  }

  /** Runs `sql` once the rollups are fresh. */
  protected async query(sql: string, q: SqlParams): Promise<SqlRow[]> {
    await this.fresh();
    return this.all(sql, q.values);
  }

  protected scope(filter: EventFilter, q: SqlParams): QueryScope {
    return queryScope(filter, q, (p) => this.dialect.timestampFromUs(p), this.unfolded());
  }

  /**
   * The rows of rollup `r` in a scope, as `day, sensor, keys, measures`: the
   * stored rows of its whole days, plus the partial days aggregated from
   * `events`. `extra`, a condition on key columns only, narrows both.
   */
  protected rolled(r: Rollup, scope: QueryScope, extra = 'TRUE'): string {
    const stored = `SELECT ${rollupColumns(r).join(', ')} FROM ${r.table} WHERE ${scope.days()} AND (${extra})`;
    const edges = scope.edges();
    return edges === undefined ? stored : `${stored} UNION ALL ${aggregateSql(r, this.dialect, 'events', `${edges} AND (${extra})`)}`;
  }

  /** Distinct sessions in a scope, as a scalar subquery. */
  protected distinctSessions(scope: QueryScope): string {
    // Every (day, sensor) cell knows its distinct sessions; only the few sessions in several cells are counted more than once.
    const stored = `(SELECT coalesce(sum(sessions), 0) FROM ${SESSION_CELLS.table} WHERE ${scope.days()})
      - (SELECT coalesce(sum(c - 1), 0) FROM (SELECT count(*) AS c FROM ${MULTI_SESSIONS_TABLE} WHERE ${scope.days()} GROUP BY session) m)`;
    const edges = scope.edges();
    if (edges === undefined) return `(${stored})`;
    return `(${stored} + (SELECT count(*) FROM (SELECT DISTINCT session FROM events WHERE ${edges} AND session IS NOT NULL) b
      WHERE NOT EXISTS (SELECT 1 FROM ${SESSIONS.table} r WHERE r.session = b.session AND ${scope.days('r.')})))`;
  }

  async summary(filter: EventFilter): Promise<StoreSummary> {
    return summaryOf(await this.#counters(filter, '', ''));
  }

  async overview(filter: EventFilter): Promise<StoreOverview> {
    const r = await this.#counters(
      filter,
      `, sum(n) FILTER (WHERE eventid = 'cowrie.login.success') AS ok, sum(n) FILTER (WHERE eventid = 'cowrie.login.failed') AS failed,
         sum(n) FILTER (WHERE eventid = 'cowrie.session.file_download') AS downloads, string_agg(DISTINCT sensor, ',') AS sensors`,
      ', count(DISTINCT src_ip) AS sources',
    );
    return {
      ...summaryOf(r),
      sources: num(r.sources),
      loginsSucceeded: num(r.ok),
      loginsFailed: num(r.failed),
      downloads: num(r.downloads),
      sensors: r.sensors == null ? [] : String(r.sensors).split(',').sort(),
    };
  }

  /**
   * The report's counters in one query, from the rollups; `events` and
   * `sources` add columns over the event-id and source rollups (the report
   * asks for none, so it pays for none).
   */
  async #counters(filter: EventFilter, events: string, sources: string): Promise<SqlRow> {
    const q = new SqlParams();
    const scope = this.scope(filter, q);
    const rows = await this.query(
      `SELECT * FROM
        (SELECT sum(n) AS events, sum(n) FILTER (WHERE ${ATTEMPT}) AS attempts, min(first_us) AS first_us, max(last_us) AS last_us${events}
         FROM (${this.rolled(EVENTIDS, scope)}) e) a,
        (SELECT count(DISTINCT src_ip) FILTER (WHERE attempts > 0) AS intruders${sources} FROM (${this.rolled(SOURCES, scope)}) s) b,
        (SELECT ${this.distinctSessions(scope)} AS sessions) c`,
      q,
    );
    return rows[0] ?? {};
  }

  async countByEventId(filter: EventFilter): Promise<EventIdCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT eventid, sum(n) AS n FROM (${this.rolled(EVENTIDS, this.scope(filter, q))}) e GROUP BY eventid ORDER BY n DESC, eventid`,
      q,
    );
    return rows.map((r) => ({ eventid: String(r.eventid), count: num(r.n) }));
  }

  async outboundByOrigin(filter: EventFilter, limit: number): Promise<OriginCount[]> {
    const q = new SqlParams();
    const scope = this.scope(filter, q);
    // Distinct sessions only for the top sources (and the NULL one, which IN cannot name). A session in one
    // (day, sensor) cell of the rollups has one row per source there; only those in several cells
    // (MULTI_SESSIONS_TABLE) or also among the rows read from `events` can repeat, so the distinct count runs
    // over them alone, for about a third less CPU than counting every distinct session.
    const sessions = (): string => this.rolled(ATTEMPT_SESSIONS, scope, 'src_ip IN (SELECT src_ip FROM a) OR src_ip IS NULL');
    const edges = scope.edges();
    const repeating = `SELECT session FROM ${MULTI_SESSIONS_TABLE}${edges === undefined ? '' : ` UNION SELECT session FROM events WHERE ${edges}`}`;
    const rows = await this.query(
      `WITH a AS (SELECT src_ip, sum(n) AS n FROM (${this.rolled(OUTBOUND, scope)}) o GROUP BY src_ip ORDER BY n DESC, src_ip LIMIT ${lim(limit)}),
       s AS (SELECT src_ip, count(*) AS s FROM (${sessions()}) x GROUP BY src_ip),
       r AS (SELECT src_ip, count(*) - count(DISTINCT session) AS r FROM (${sessions()}) x
             WHERE session IN (${repeating}) GROUP BY src_ip)
       SELECT a.src_ip, a.n, s.s - coalesce(r.r, 0) AS s FROM a LEFT JOIN s ON s.src_ip IS NOT DISTINCT FROM a.src_ip
       LEFT JOIN r ON r.src_ip IS NOT DISTINCT FROM a.src_ip ORDER BY a.n DESC, a.src_ip`,
      q,
    );
    return rows.map((r) => ({ ip: String(r.src_ip ?? ''), attempts: num(r.n), sessions: num(r.s) }));
  }

  async outboundByPort(filter: EventFilter, limit: number): Promise<PortCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT dst_port, sum(n) AS n FROM (${this.rolled(OUTBOUND, this.scope(filter, q))}) o GROUP BY dst_port ORDER BY n DESC, dst_port LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ port: num(r.dst_port), attempts: num(r.n) }));
  }

  async outboundByDestination(filter: EventFilter, limit: number): Promise<DestinationCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT dst_ip, dst_port, sum(n) AS n FROM (${this.rolled(OUTBOUND, this.scope(filter, q))}) o
       GROUP BY dst_ip, dst_port ORDER BY n DESC, dst_ip, dst_port LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ ip: String(r.dst_ip ?? ''), port: num(r.dst_port), attempts: num(r.n) }));
  }

  async outboundByHost(filter: EventFilter, limit: number): Promise<HostCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT coalesce(http_host, tls_sni) AS host, payload_kind, sum(n) AS n
       FROM (${this.rolled(PAYLOADS, this.scope(filter, q), 'coalesce(http_host, tls_sni) IS NOT NULL')}) p
       GROUP BY 1, 2 ORDER BY n DESC, host, payload_kind LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ host: String(r.host), kind: String(r.payload_kind), count: num(r.n) }));
  }

  async outboundPerMinute(filter: EventFilter): Promise<MinuteCount[]> {
    const q = new SqlParams();
    const rows = await this.query(`SELECT minute, sum(n) AS n FROM (${this.rolled(MINUTES, this.scope(filter, q))}) m GROUP BY 1 ORDER BY 1`, q);
    return rows.map((r) => ({ minute: num(r.minute), attempts: num(r.n) }));
  }

  async outboundTriples(filter: EventFilter, limit: number): Promise<TripleCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT src_ip, dst_port, dst_ip, sum(n) AS n FROM (${this.rolled(OUTBOUND, this.scope(filter, q))}) o
       GROUP BY src_ip, dst_port, dst_ip ORDER BY n DESC, src_ip, dst_port, dst_ip LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ src: String(r.src_ip ?? ''), port: num(r.dst_port), dst: String(r.dst_ip ?? ''), attempts: num(r.n) }));
  }

  async outboundTree(filter: EventFilter & { port?: number }, top: number): Promise<TreeLevelCount[]> {
    const q = new SqlParams();
    const port = filter.port === undefined ? 'TRUE' : `dst_port = ${Math.trunc(filter.port)}`;
    const n = lim(top);
    // Each level is summed only under the top nodes of the level above: over millions of distinct triples,
    // grouping them all first would cost most of the query.
    const rows = await this.query(
      `WITH o AS (${this.rolled(OUTBOUND, this.scope(filter, q), port)}),
       s AS (SELECT src_ip, sum(n) AS n, row_number() OVER (ORDER BY sum(n) DESC, src_ip) AS r FROM o GROUP BY src_ip),
       p AS (SELECT o.src_ip, o.dst_port, sum(o.n) AS n, row_number() OVER (PARTITION BY o.src_ip ORDER BY sum(o.n) DESC, o.dst_port) AS r
             FROM o JOIN s ON s.src_ip = o.src_ip AND s.r <= ${n} GROUP BY o.src_ip, o.dst_port),
       q AS (SELECT o.src_ip, o.dst_port, o.dst_ip, sum(o.n) AS n, row_number() OVER (PARTITION BY o.src_ip, o.dst_port ORDER BY sum(o.n) DESC, o.dst_ip) AS r
             FROM o JOIN p ON p.src_ip = o.src_ip AND p.dst_port = o.dst_port AND p.r <= ${n} GROUP BY o.src_ip, o.dst_port, o.dst_ip)
       SELECT 1 AS lvl, CASE WHEN r <= ${n} THEN src_ip END AS src, NULL AS port, NULL AS dst, sum(n) AS n FROM s GROUP BY 2
       UNION ALL SELECT 2, src_ip, CASE WHEN r <= ${n} THEN dst_port END, NULL, sum(n) FROM p GROUP BY 2, 3
       UNION ALL SELECT 3, src_ip, dst_port, CASE WHEN r <= ${n} THEN dst_ip END, sum(n) FROM q GROUP BY 2, 3, 4`,
      q,
    );
    return rows.map((r) => ({
      level: num(r.lvl) as 1 | 2 | 3,
      src: r.src == null ? null : String(r.src),
      port: r.port == null ? null : num(r.port),
      dst: r.dst == null ? null : String(r.dst),
      attempts: num(r.n),
    }));
  }

  async outboundLinks(filter: EventFilter, minAttempts: number, maxEdges: number): Promise<LinkCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `WITH o AS (${this.rolled(OUTBOUND, this.scope(filter, q))}),
       e AS (
         SELECT src_ip AS a, 'port ' || CAST(dst_port AS VARCHAR) AS b, sum(n) AS n FROM o GROUP BY 1, 2
         UNION ALL
         SELECT 'port ' || CAST(dst_port AS VARCHAR), dst_ip, sum(n) FROM o GROUP BY 1, 2)
       SELECT a, b, n FROM e WHERE n >= ${Math.trunc(minAttempts)} ORDER BY n DESC, a, b LIMIT ${lim(maxEdges)}`,
      q,
    );
    return rows.map((r) => ({ source: String(r.a), target: String(r.b), weight: num(r.n) }));
  }

  async outboundDailyBySource(filter: EventFilter, sources: number): Promise<{ sources: string[]; counts: SourceDayCount[] }> {
    const q = new SqlParams();
    const outbound = this.rolled(OUTBOUND, this.scope(filter, q));
    const top =
      sources > 0
        ? (await this.query(`SELECT src_ip FROM (${outbound}) o GROUP BY src_ip ORDER BY sum(n) DESC, src_ip LIMIT ${lim(sources)}`, q)).map((r) => String(r.src_ip))
        : [];
    const inTop = top.length === 0 ? 'FALSE' : `src_ip IN (${top.map((ip) => q.add(ip)).join(', ')})`;
    const rows = await this.all(
      `SELECT CAST(day AS VARCHAR) AS day, CASE WHEN ${inTop} THEN src_ip ELSE 'other' END AS s, sum(n) AS n FROM (${outbound}) o GROUP BY 1, 2`,
      q.values,
    );
    return { sources: top, counts: rows.map((r) => ({ day: String(r.day), source: String(r.s), attempts: num(r.n) })) };
  }

  async outboundDays(filter: EventFilter): Promise<string[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT DISTINCT CAST(day AS VARCHAR) AS day FROM (${this.rolled(EVENTIDS, this.scope(filter, q), ATTEMPT)}) e ORDER BY 1 DESC`,
      q,
    );
    return rows.map((r) => String(r.day));
  }

  async smtpGreetings(filter: EventFilter, limit: number): Promise<GreetingCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT smtp_ehlo, sum(n) AS n FROM (${this.rolled(PAYLOADS, this.scope(filter, q), 'smtp_ehlo IS NOT NULL')}) p
       GROUP BY smtp_ehlo ORDER BY n DESC, smtp_ehlo LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ greeting: String(r.smtp_ehlo), count: num(r.n) }));
  }

  async httpRequests(filter: EventFilter, limit: number): Promise<HttpRequestGroup[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT http_method, coalesce(http_host, '') AS host, http_path, dst_port, http_headers, sum(n) AS n
       FROM (${this.rolled(PAYLOADS, this.scope(filter, q), `payload_kind = 'http'`)}) p
       GROUP BY http_method, 2, http_path, dst_port, http_headers
       ORDER BY n DESC, http_method, host, http_path, dst_port, http_headers LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({
      method: String(r.http_method),
      host: String(r.host),
      path: String(r.http_path),
      port: r.dst_port == null ? null : num(r.dst_port),
      headers: String(r.http_headers ?? '[]'),
      count: num(r.n),
    }));
  }

  async tlsServerNames(filter: EventFilter, limit: number): Promise<NameCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT tls_sni, sum(n) AS n FROM (${this.rolled(PAYLOADS, this.scope(filter, q), 'tls_sni IS NOT NULL')}) p
       GROUP BY tls_sni ORDER BY n DESC, tls_sni LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ name: String(r.tls_sni), count: num(r.n) }));
  }

  async topCredentials(filter: EventFilter, limit: number): Promise<CredentialCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT coalesce(username, '') AS u, coalesce(password, '') AS p, sum(n) AS n, sum(ok) AS ok
       FROM (${this.rolled(LOGINS, this.scope(filter, q))}) l GROUP BY 1, 2 ORDER BY n DESC, u, p LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ username: String(r.u), password: String(r.p), count: num(r.n), successes: num(r.ok) }));
  }

  async topCommands(filter: EventFilter, limit: number): Promise<NameCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT input, sum(n) AS n FROM (${this.rolled(COMMANDS, this.scope(filter, q))}) c GROUP BY input ORDER BY n DESC, input LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ name: String(r.input), count: num(r.n) }));
  }

  async topDownloads(filter: EventFilter, limit: number): Promise<DownloadCount[]> {
    const q = new SqlParams();
    const rows = await this.query(
      `SELECT coalesce(url, '') AS url, coalesce(shasum, '') AS shasum, sum(n) AS n FROM (${this.rolled(DOWNLOADS, this.scope(filter, q))}) d
       GROUP BY 1, 2 ORDER BY n DESC, url, shasum LIMIT ${lim(limit)}`,
      q,
    );
    return rows.map((r) => ({ url: String(r.url), shasum: String(r.shasum), count: num(r.n) }));
  }

  async sessions(filter: EventFilter, limit: number): Promise<SessionRow[]> {
    const q = new SqlParams();
    const scope = this.scope(filter, q);
    const n = lim(limit);
    const edges = scope.edges();
    const columns = rollupColumns(SESSIONS).join(', ');
    // Sessions in one (day, sensor) cell count what that row holds: the top N of them, plus every row of sessions in
    // several cells, hold the top N overall. Those N are among the top N + (rows of those sessions) rows whatever
    // their session: the count of the last of these bounds the rows read, found over the counts alone.
    const days = (): [string, SqlParams] => {
      const p = new SqlParams();
      return [this.scope(filter, p).days(), p];
    };
    const [multiDays, mq] = days();
    const multi = Number((await this.query(`SELECT count(*) AS m FROM ${MULTI_SESSIONS_TABLE} WHERE ${multiDays}`, mq))[0]?.m ?? 0);
    const [countDays, tq] = days();
    const least = (await this.all(`SELECT min(n) AS t FROM (SELECT n FROM ${SESSIONS.table} WHERE ${countDays} ORDER BY n DESC LIMIT ${n + multi}) t`, tq.values))[0]?.t;
    const single = `SELECT ${columns} FROM ${SESSIONS.table} WHERE ${scope.days()} AND n >= ${least == null ? 0 : num(least)}
      AND session NOT IN (SELECT session FROM ${MULTI_SESSIONS_TABLE}) ORDER BY n DESC, session LIMIT ${n}`;
    // The partial days add their sessions as candidates, counted over the rollups and those days.
    const source =
      edges === undefined
        ? `(${single}) UNION ALL SELECT ${columns} FROM ${MULTI_SESSIONS_TABLE} WHERE ${scope.days()}`
        : this.rolled(
            SESSIONS,
            scope,
            `session IN (SELECT session FROM (${single}) t UNION SELECT session FROM ${MULTI_SESSIONS_TABLE} UNION SELECT session FROM events WHERE ${edges})`,
          );
    const rows = await this.all(
      `SELECT session, min(src_ip) AS src_ip, min(first_us) AS start_us, max(last_us) AS end_us, sum(n) AS n,
         sum(logins) AS logins, sum(attempts) AS attempts, sum(commands) AS commands
       FROM (${source}) s GROUP BY session ORDER BY n DESC, session LIMIT ${n}`,
      q.values,
    );
    return rows.map((r) => ({
      session: String(r.session),
      srcIp: String(r.src_ip ?? ''),
      startUs: num(r.start_us),
      endUs: num(r.end_us),
      events: num(r.n),
      logins: num(r.logins),
      commands: num(r.commands),
      attempts: num(r.attempts),
    }));
  }

  /**
   * Pages keyed on (ts, id), each starting after the last row of the one
   * before: with OFFSET, every page would sort the rows before it again (the
   * intel sync reads 30 days this way).
   */
  async *rawEvents(filter: EventFilter): AsyncIterable<string> {
    const [where, params] = this.where(filter);
    const d = this.dialect;
    const columns = `SELECT ${d.epochUs('ts')} AS us, CAST(id AS VARCHAR) AS id, raw FROM events`;
    const after = `(ts, id) > (${d.timestampFromUs(`$${params.length + 1}`)}, CAST($${params.length + 2} AS UUID))`;
    const first = `${columns} ${where} ORDER BY ts, id LIMIT ${RAW_PAGE}`;
    const next = `${columns} ${where === '' ? 'WHERE' : `${where} AND`} ${after} ORDER BY ts, id LIMIT ${RAW_PAGE}`;
    let rows = await this.all(first, params);
    for (;;) {
      for (const r of rows) yield String(r.raw);
      const last = rows[rows.length - 1];
      if (rows.length < RAW_PAGE || last === undefined) return;
      rows = await this.all(next, [...params, last.us, last.id]);
    }
  }

  /** `WHERE ...` for a filter, with its parameters. */
  protected where(filter: EventFilter): [string, unknown[]] {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.sinceUs !== undefined) {
      params.push(filter.sinceUs);
      conds.push(`ts >= ${this.dialect.timestampFromUs(`$${params.length}`)}`);
    }
    if (filter.untilUs !== undefined) {
      params.push(filter.untilUs);
      conds.push(`ts < ${this.dialect.timestampFromUs(`$${params.length}`)}`);
    }
    if (filter.sensor !== undefined) {
      params.push(filter.sensor);
      conds.push(`sensor = $${params.length}`);
    }
    return [conds.length === 0 ? '' : `WHERE ${conds.join(' AND ')}`, params];
  }
}

function summaryOf(r: SqlRow): StoreSummary {
  return {
    events: num(r.events),
    sessions: num(r.sessions),
    attempts: num(r.attempts),
    intruders: num(r.intruders),
    firstUs: r.first_us == null ? null : num(r.first_us),
    lastUs: r.last_us == null ? null : num(r.last_us),
  };
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  return 0;
}

function lim(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Expected limit to be an integer greater than 0 but found ${limit}`);
  return limit;
}
