import type { SqlDialect } from './sql-store.js';

export const ATTEMPT = `eventid = 'cowrie.direct-tcpip.request'`;
const PAYLOAD = `eventid IN ('cowrie.direct-tcpip.data', 'cowrie.tunnelproxy-tcpip.data')`;
const LOGIN = `eventid IN ('cowrie.login.success', 'cowrie.login.failed')`;

/** Bumped whenever a rollup's definition changes: stores then rebuild their rollups from `events`. */
export const ROLLUP_VERSION = 1;

export type ColumnType = 'text' | 'int' | 'bigint';

export interface RollupKey {
  name: string;
  type: ColumnType;
  /** The expression over `events`; the column of the same name if absent. */
  expr?: (d: SqlDialect) => string;
}

export interface RollupMeasure {
  name: string;
  type: ColumnType;
  /** The aggregate over `events` rows. */
  raw: (d: SqlDialect) => string;
  /** How two partial values combine. */
  merge: 'sum' | 'min' | 'max';
}

/**
 * Events of one kind aggregated per UTC day, sensor and `keys`. Every
 * aggregate is mergeable, so a range of whole days reads the rollup and only
 * the partial days at its edges read `events`.
 */
export interface Rollup {
  table: string;
  /** Which events it aggregates. */
  where: string;
  keys: RollupKey[];
  measures: RollupMeasure[];
}

const count: RollupMeasure = { name: 'n', type: 'bigint', raw: () => 'count(*)', merge: 'sum' };
const countIf = (name: string, cond: string): RollupMeasure => ({ name, type: 'bigint', raw: () => `count(*) FILTER (WHERE ${cond})`, merge: 'sum' });
const text = (name: string): RollupKey => ({ name, type: 'text' });
const firstUs: RollupMeasure = { name: 'first_us', type: 'bigint', raw: (d) => `min(${d.epochUs('ts')})`, merge: 'min' };
const lastUs: RollupMeasure = { name: 'last_us', type: 'bigint', raw: (d) => `max(${d.epochUs('ts')})`, merge: 'max' };

export const EVENTIDS: Rollup = { table: 'rollup_eventids', where: 'TRUE', keys: [text('eventid')], measures: [count, firstUs, lastUs] };

export const SOURCES: Rollup = { table: 'rollup_sources', where: 'TRUE', keys: [text('src_ip')], measures: [count, countIf('attempts', ATTEMPT)] };

/** One row per session and day: what the session counts and top-sessions questions read instead of every event. */
export const SESSIONS: Rollup = {
  table: 'rollup_sessions',
  where: 'session IS NOT NULL',
  keys: [text('session')],
  measures: [
    count,
    countIf('logins', LOGIN),
    countIf('attempts', ATTEMPT),
    countIf('commands', `eventid = 'cowrie.command.input'`),
    { name: 'src_ip', type: 'text', raw: () => 'min(src_ip)', merge: 'min' },
    firstUs,
    lastUs,
  ],
};

/**
 * Distinct sessions per day and sensor (the rows of SESSIONS per cell). Kept
 * by the refresh rather than grouped from SESSIONS: its keys are not in `events`.
 */
export const SESSION_CELLS: Rollup = { table: 'rollup_session_cells', where: 'TRUE', keys: [], measures: [{ name: 'sessions', type: 'bigint', raw: () => 'count(*)', merge: 'sum' }] };

/**
 * The SESSIONS rows of sessions with rows in more than one (day, sensor)
 * cell, which SESSION_CELLS counts once per cell: few, so the distinct count
 * and the top sessions correct for them without reading all of SESSIONS.
 */
export const MULTI_SESSIONS_TABLE = 'rollup_multi_sessions';

/** Rewrites the MULTI_SESSIONS_TABLE rows of the sessions in `touched` (a relation with a `session` column) from SESSIONS. */
export function multiSessionsSql(touched: string): string[] {
  return [
    `DELETE FROM ${MULTI_SESSIONS_TABLE} WHERE session IN (SELECT session FROM ${touched})`,
    `INSERT INTO ${MULTI_SESSIONS_TABLE} SELECT * FROM ${SESSIONS.table} WHERE session IN
      (SELECT session FROM ${SESSIONS.table} WHERE session IN (SELECT session FROM ${touched}) GROUP BY session HAVING count(*) > 1)`,
  ];
}

export const OUTBOUND: Rollup = {
  table: 'rollup_outbound',
  where: ATTEMPT,
  keys: [text('src_ip'), { name: 'dst_port', type: 'int' }, text('dst_ip')],
  measures: [count],
};

export const ATTEMPT_SESSIONS: Rollup = {
  table: 'rollup_attempt_sessions',
  where: `${ATTEMPT} AND session IS NOT NULL`,
  keys: [text('src_ip'), text('session')],
  measures: [count],
};

export const MINUTES: Rollup = {
  table: 'rollup_minutes',
  where: ATTEMPT,
  keys: [{ name: 'minute', type: 'bigint', expr: (d) => d.minuteMs('ts') }],
  measures: [count],
};

export const PAYLOADS: Rollup = {
  table: 'rollup_payloads',
  where: PAYLOAD,
  keys: [
    text('payload_kind'),
    { name: 'dst_port', type: 'int' },
    text('http_method'),
    text('http_host'),
    text('http_path'),
    text('http_headers'),
    text('smtp_ehlo'),
    text('tls_sni'),
  ],
  measures: [count],
};

export const LOGINS: Rollup = {
  table: 'rollup_logins',
  where: LOGIN,
  keys: [text('username'), text('password')],
  measures: [count, countIf('ok', `eventid = 'cowrie.login.success'`)],
};

export const COMMANDS: Rollup = { table: 'rollup_commands', where: `eventid = 'cowrie.command.input' AND input IS NOT NULL`, keys: [text('input')], measures: [count] };

export const DOWNLOADS: Rollup = {
  table: 'rollup_downloads',
  where: `eventid = 'cowrie.session.file_download'`,
  keys: [text('url'), text('shasum')],
  measures: [count],
};

/** Rollups computed straight from new `events` rows. */
export const EVENT_ROLLUPS: readonly Rollup[] = [EVENTIDS, SOURCES, SESSIONS, OUTBOUND, ATTEMPT_SESSIONS, MINUTES, PAYLOADS, LOGINS, COMMANDS, DOWNLOADS];

/** Every rollup table with its columns: day, sensor, keys, measures. */
export function rollupColumns(r: Rollup): string[] {
  return ['day', 'sensor', ...r.keys.map((k) => k.name), ...r.measures.map((m) => m.name)];
}

/** `day, sensor, keys` and the raw aggregates of `r` over `source`, grouped. */
export function aggregateSql(r: Rollup, d: SqlDialect, source: string, where = 'TRUE'): string {
  const keys = r.keys.map((k) => `${k.expr?.(d) ?? k.name} AS ${k.name}`);
  const groups = Array.from({ length: 2 + r.keys.length }, (_, i) => i + 1).join(', ');
  return `SELECT ${d.dayOf('ts')} AS day, sensor${keys.map((k) => `, ${k}`).join('')}, ${r.measures.map((m) => `${m.raw(d)} AS ${m.name}`).join(', ')}
    FROM ${source} WHERE (${r.where}) AND (${where}) GROUP BY ${groups}`;
}
