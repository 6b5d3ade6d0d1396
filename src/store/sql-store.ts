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
  TripleCount,
} from './store.js';

/** The few expressions where DuckDB and PostgreSQL SQL differ. */
export interface SqlDialect {
  /** A timestamp from a bound microseconds-since-epoch parameter. */
  timestampFromUs(param: string): string;
  /** Microseconds since the epoch of a timestamp column, as a 64-bit integer. */
  epochUs(column: string): string;
  /** Start of the minute of `ts`, ms since the epoch, as a 64-bit integer. */
  minuteMs(column: string): string;
}

export type SqlRow = Record<string, unknown>;

const ATTEMPT = `eventid = 'cowrie.direct-tcpip.request'`;
const PAYLOAD = `eventid IN ('cowrie.direct-tcpip.data', 'cowrie.tunnelproxy-tcpip.data')`;
const LOGIN = `eventid IN ('cowrie.login.success', 'cowrie.login.failed')`;
const RAW_PAGE = 5000;

/**
 * The analysis queries, written once in the SQL both databases speak.
 * Implementations supply the connection (`all`), the dialect, and appends.
 */
export abstract class SqlStore implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  protected abstract readonly dialect: SqlDialect;
  /**
   * Where the outbound questions (direct-tcpip requests and payloads) are
   * asked: `events`, or a narrow copy of just those rows with the columns
   * those queries read, so they need not scan every event.
   */
  protected readonly outboundTable: string = 'events';
  protected abstract all(sql: string, params: readonly unknown[]): Promise<SqlRow[]>;
  abstract append(rows: readonly EventRow[]): Promise<AppendResult>;
  abstract getCheckpoint(source: string): Promise<IngestCheckpoint | undefined>;
  abstract putCheckpoint(checkpoint: IngestCheckpoint): Promise<void>;
  abstract close(): Promise<void>;

  async summary(filter: EventFilter): Promise<StoreSummary> {
    const [where, params] = this.where(filter);
    const rows = await this.all(
      `SELECT count(*) AS events, count(DISTINCT session) AS sessions,
        count(*) FILTER (WHERE ${ATTEMPT}) AS attempts,
        count(DISTINCT src_ip) FILTER (WHERE ${ATTEMPT}) AS intruders,
        min(${this.dialect.epochUs('ts')}) AS first_us, max(${this.dialect.epochUs('ts')}) AS last_us
       FROM events ${where}`,
      params,
    );
    const r = rows[0] ?? {};
    return {
      events: num(r.events),
      sessions: num(r.sessions),
      attempts: num(r.attempts),
      intruders: num(r.intruders),
      firstUs: r.first_us == null ? null : num(r.first_us),
      lastUs: r.last_us == null ? null : num(r.last_us),
    };
  }

  async countByEventId(filter: EventFilter): Promise<EventIdCount[]> {
    const [where, params] = this.where(filter);
    const rows = await this.all(`SELECT eventid, count(*) AS n FROM events ${where} GROUP BY eventid ORDER BY n DESC, eventid`, params);
    return rows.map((r) => ({ eventid: String(r.eventid), count: num(r.n) }));
  }

  async outboundByOrigin(filter: EventFilter, limit: number): Promise<OriginCount[]> {
    const [where, params] = this.where(filter, ATTEMPT);
    const rows = await this.all(
      `SELECT src_ip, count(*) AS n, count(DISTINCT session) AS s FROM ${this.outboundTable} ${where}
       GROUP BY src_ip ORDER BY n DESC, src_ip LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ ip: String(r.src_ip ?? ''), attempts: num(r.n), sessions: num(r.s) }));
  }

  async outboundByPort(filter: EventFilter, limit: number): Promise<PortCount[]> {
    const [where, params] = this.where(filter, ATTEMPT);
    const rows = await this.all(
      `SELECT dst_port, count(*) AS n FROM ${this.outboundTable} ${where} GROUP BY dst_port ORDER BY n DESC, dst_port LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ port: num(r.dst_port), attempts: num(r.n) }));
  }

  async outboundByDestination(filter: EventFilter, limit: number): Promise<DestinationCount[]> {
    const [where, params] = this.where(filter, ATTEMPT);
    const rows = await this.all(
      `SELECT dst_ip, dst_port, count(*) AS n FROM ${this.outboundTable} ${where}
       GROUP BY dst_ip, dst_port ORDER BY n DESC, dst_ip, dst_port LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ ip: String(r.dst_ip ?? ''), port: num(r.dst_port), attempts: num(r.n) }));
  }

  async outboundByHost(filter: EventFilter, limit: number): Promise<HostCount[]> {
    const [where, params] = this.where(filter, `${PAYLOAD} AND coalesce(http_host, tls_sni) IS NOT NULL`);
    const rows = await this.all(
      `SELECT coalesce(http_host, tls_sni) AS host, payload_kind, count(*) AS n FROM ${this.outboundTable} ${where}
       GROUP BY 1, 2 ORDER BY n DESC, host, payload_kind LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ host: String(r.host), kind: String(r.payload_kind), count: num(r.n) }));
  }

  async outboundPerMinute(filter: EventFilter): Promise<MinuteCount[]> {
    const [where, params] = this.where(filter, ATTEMPT);
    const rows = await this.all(
      `SELECT ${this.dialect.minuteMs('ts')} AS minute, count(*) AS n FROM ${this.outboundTable} ${where} GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ minute: num(r.minute), attempts: num(r.n) }));
  }

  async outboundTriples(filter: EventFilter, limit: number): Promise<TripleCount[]> {
    const [where, params] = this.where(filter, ATTEMPT);
    const rows = await this.all(
      `SELECT src_ip, dst_port, dst_ip, count(*) AS n FROM ${this.outboundTable} ${where}
       GROUP BY src_ip, dst_port, dst_ip ORDER BY n DESC, src_ip, dst_port, dst_ip LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ src: String(r.src_ip ?? ''), port: num(r.dst_port), dst: String(r.dst_ip ?? ''), attempts: num(r.n) }));
  }

  async smtpGreetings(filter: EventFilter, limit: number): Promise<GreetingCount[]> {
    const [where, params] = this.where(filter, `${PAYLOAD} AND smtp_ehlo IS NOT NULL`);
    const rows = await this.all(
      `SELECT smtp_ehlo, count(*) AS n FROM ${this.outboundTable} ${where} GROUP BY smtp_ehlo ORDER BY n DESC, smtp_ehlo LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ greeting: String(r.smtp_ehlo), count: num(r.n) }));
  }

  async httpRequests(filter: EventFilter, limit: number): Promise<HttpRequestGroup[]> {
    const [where, params] = this.where(filter, `${PAYLOAD} AND payload_kind = 'http'`);
    const rows = await this.all(
      `SELECT http_method, coalesce(http_host, '') AS host, http_path, dst_port, http_headers, count(*) AS n FROM ${this.outboundTable} ${where}
       GROUP BY http_method, 2, http_path, dst_port, http_headers
       ORDER BY n DESC, http_method, host, http_path, dst_port, http_headers LIMIT ${lim(limit)}`,
      params,
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
    const [where, params] = this.where(filter, `${PAYLOAD} AND tls_sni IS NOT NULL`);
    const rows = await this.all(
      `SELECT tls_sni, count(*) AS n FROM ${this.outboundTable} ${where} GROUP BY tls_sni ORDER BY n DESC, tls_sni LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ name: String(r.tls_sni), count: num(r.n) }));
  }

  async topCredentials(filter: EventFilter, limit: number): Promise<CredentialCount[]> {
    const [where, params] = this.where(filter, LOGIN);
    const rows = await this.all(
      `SELECT coalesce(username, '') AS u, coalesce(password, '') AS p, count(*) AS n,
        count(*) FILTER (WHERE eventid = 'cowrie.login.success') AS ok
       FROM events ${where} GROUP BY 1, 2 ORDER BY n DESC, u, p LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ username: String(r.u), password: String(r.p), count: num(r.n), successes: num(r.ok) }));
  }

  async topCommands(filter: EventFilter, limit: number): Promise<NameCount[]> {
    const [where, params] = this.where(filter, `eventid = 'cowrie.command.input' AND input IS NOT NULL`);
    const rows = await this.all(
      `SELECT input, count(*) AS n FROM events ${where} GROUP BY input ORDER BY n DESC, input LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ name: String(r.input), count: num(r.n) }));
  }

  async topDownloads(filter: EventFilter, limit: number): Promise<DownloadCount[]> {
    const [where, params] = this.where(filter, `eventid = 'cowrie.session.file_download'`);
    const rows = await this.all(
      `SELECT coalesce(url, '') AS url, coalesce(shasum, '') AS shasum, count(*) AS n FROM events ${where}
       GROUP BY 1, 2 ORDER BY n DESC, url, shasum LIMIT ${lim(limit)}`,
      params,
    );
    return rows.map((r) => ({ url: String(r.url), shasum: String(r.shasum), count: num(r.n) }));
  }

  async sessions(filter: EventFilter, limit: number): Promise<SessionRow[]> {
    const [where, params] = this.where(filter, 'session IS NOT NULL');
    const [whereE] = this.where(filter, 'e.session IS NOT NULL', 'e.');
    const us = this.dialect.epochUs('e.ts');
    // Two passes: ranking sessions needs only a count; the details are computed for the top ones.
    const rows = await this.all(
      `WITH top AS (SELECT session, count(*) AS n FROM events ${where} GROUP BY session ORDER BY n DESC, session LIMIT ${lim(limit)})
       SELECT e.session, min(e.src_ip) AS src_ip, min(${us}) AS start_us, max(${us}) AS end_us, count(*) AS n,
        count(*) FILTER (WHERE e.${LOGIN}) AS logins,
        count(*) FILTER (WHERE e.${ATTEMPT}) AS attempts,
        count(*) FILTER (WHERE e.eventid = 'cowrie.command.input') AS commands
       FROM events e JOIN top ON e.session = top.session ${whereE}
       GROUP BY e.session ORDER BY n DESC, e.session`,
      params,
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

  async *rawEvents(filter: EventFilter): AsyncIterable<string> {
    const [where, params] = this.where(filter);
    for (let offset = 0; ; offset += RAW_PAGE) {
      const rows = await this.all(`SELECT raw FROM events ${where} ORDER BY ts, id LIMIT ${RAW_PAGE} OFFSET ${offset}`, params);
      for (const r of rows) yield String(r.raw);
      if (rows.length < RAW_PAGE) return;
    }
  }

  /** `WHERE ...` for a filter plus an optional extra condition, with its parameters; `alias` qualifies the columns. */
  protected where(filter: EventFilter, extra?: string, alias = ''): [string, unknown[]] {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (filter.sinceUs !== undefined) {
      params.push(filter.sinceUs);
      conds.push(`${alias}ts >= ${this.dialect.timestampFromUs(`$${params.length}`)}`);
    }
    if (filter.untilUs !== undefined) {
      params.push(filter.untilUs);
      conds.push(`${alias}ts < ${this.dialect.timestampFromUs(`$${params.length}`)}`);
    }
    if (filter.sensor !== undefined) {
      params.push(filter.sensor);
      conds.push(`${alias}sensor = $${params.length}`);
    }
    if (extra !== undefined) conds.push(extra);
    return [conds.length === 0 ? '' : `WHERE ${conds.join(' AND ')}`, params];
  }
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
