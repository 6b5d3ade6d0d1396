import { PAYLOAD_EVENTS } from '../event-row.js';

/**
 * SQL for DuckDB's native bulk path: whole files read by DuckDB's CSV reader
 * (one VARCHAR column per line), parsed by json_transform, and normalised
 * exactly as toEventRow() does. Every line where DuckDB's reading could differ
 * from JSON.parse + toEventRow (non-string values where strings are expected,
 * floats, NaN, trailing commas, surrogate escapes, unusual timestamps) is
 * marked not `fast` and left to the JavaScript path, so both paths store the
 * same rows with the same identities.
 */

/** Fields read from each line, all as VARCHAR (strings as they are, numbers as their text). */
const FIELDS = [
  'eventid',
  'timestamp',
  'session',
  'sensor',
  'message',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'orig_ip',
  'orig_port',
  'username',
  'password',
  'input',
  'url',
  'shasum',
  'duration_ms',
  'duration',
  'data',
  'data_b64',
] as const;

const STRING_FIELDS = ['session', 'sensor', 'src_ip', 'dst_ip', 'orig_ip', 'username', 'password', 'input', 'url', 'shasum'] as const;
const INT_FIELDS = ['src_port', 'dst_port', 'orig_port'] as const;
const ATTEMPT = `'cowrie.direct-tcpip.request'`;
const PAYLOAD_IN = `(${[...PAYLOAD_EVENTS].map((e) => `'${e}'`).join(', ')})`;
const CLAIMED_ORIGIN = `' from (\\S+):([0-9]+)$'`;
const DECIMAL = `'-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?'`;

/** JSON text of a value that is not a string: an object, array or boolean. */
function structured(v: string): string {
  return `(left(${v}, 1) IN ('{', '[') OR ${v} IN ('true', 'false'))`;
}

/** A VARCHAR that may have been a JSON number, whose JavaScript reading differs from its text. */
function numeric(v: string): string {
  return `TRY_CAST(${v} AS DOUBLE) IS NOT NULL`;
}

/** str(): a string, or the decimal text of an integer (the same in JavaScript); anything else is left to JavaScript. */
function stringUnclear(v: string): string {
  return `(${v} IS NOT NULL AND (${structured(v)} OR (${numeric(v)} AND NOT regexp_full_match(${v}, '-?[1-9][0-9]{0,14}|0'))))`;
}

/** int(): 1 to 5 digits are a port either way; other numbers are left to JavaScript. */
function intUnclear(v: string): string {
  return `(${v} IS NOT NULL AND NOT regexp_full_match(${v}, '[0-9]{1,5}') AND ${numeric(v)})`;
}

function intValue(v: string): string {
  return `CASE WHEN regexp_full_match(${v}, '[0-9]{1,5}') THEN CAST(${v} AS INTEGER) END`;
}

/** Substrings of a line that JSON.parse rejects or reads differently from DuckDB's parser. */
const LINE_UNCLEAR = `${['NaN', 'Infinity', ',}', ',]', ', }', ', ]'].map((s) => `contains(line, '${s}')`).join(' OR ')}
  OR (contains(line, '\\u') AND (${['\\ud', '\\uD', '\\u0000'].map((s) => `contains(line, '${s}')`).join(' OR ')}))
  OR (contains(line, '"duration_ms":') AND (contains(line, '"duration_ms": "') OR contains(line, '"duration_ms":"')))`;

const FAST = `coalesce(j IS NOT NULL
  AND j.eventid IS NOT NULL AND j.message IS NOT NULL AND j.message <> ''
  AND NOT (${structured('j.eventid')} OR ${numeric('j.eventid')})
  AND NOT (${structured('j.message')} OR ${numeric('j.message')})
  AND regexp_full_match(j.timestamp, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z')
  AND TRY_CAST(left(j.timestamp, 26) AS TIMESTAMP) IS NOT NULL
  AND NOT (${LINE_UNCLEAR})
  AND NOT (${[...STRING_FIELDS.map((f) => stringUnclear(`j.${f}`)), ...INT_FIELDS.map((f) => intUnclear(`j.${f}`))].join(' OR ')})
  AND NOT (j.data IS NOT NULL AND (${structured('j.data')} OR ${numeric('j.data')}))
  AND NOT (j.data_b64 IS NOT NULL AND (${structured('j.data_b64')} OR ${numeric('j.data_b64')}))
  AND NOT (TRY_CAST(j.duration_ms AS DOUBLE) IS NULL AND j.duration IS NOT NULL
    AND NOT ${structured('j.duration')}
    AND NOT (regexp_full_match(j.duration, ${DECIMAL}) AND isfinite(CAST(j.duration AS DOUBLE) * 1000)))
  AND NOT (j.eventid = ${ATTEMPT} AND (regexp_matches(j.message, '[^ -~]')
    OR (regexp_matches(j.message, ${CLAIMED_ORIGIN}) AND TRY_CAST(regexp_extract(j.message, ${CLAIMED_ORIGIN}, 2) AS INTEGER) IS NULL))), false)`;

/** eventIdentity(): sha256 over sensor, session, eventid, timestamp and message joined by U+001F, first 128 bits. */
const IDENTITY = `CAST(substr(sha256(concat(coalesce(j.sensor, ''), chr(31), coalesce(j.session, ''), chr(31), j.eventid, chr(31), j.timestamp, chr(31), j.message)), 1, 32) AS UUID)`;

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Stages the lines of `paths` (all gzip or all plain) into the temp table
 * `table`: line number in the read (`n`), file, the line (NULL when blank),
 * the parsed fields, and for `fast` lines the identity, time and payload key.
 */
export function stageSql(table: string, paths: readonly string[], gzip: boolean): string {
  const transform = `{${FIELDS.map((f) => `"${f}":"VARCHAR"`).join(',')}}`;
  return `CREATE OR REPLACE TEMP TABLE ${table} AS
SELECT n, f, line, j, fast,
  CASE WHEN fast THEN ${IDENTITY} END AS id,
  CASE WHEN fast THEN CAST(left(j.timestamp, 26) AS TIMESTAMP) END AS ts,
  CASE WHEN fast AND j.eventid IN ${PAYLOAD_IN} THEN CAST(to_json([j.data_b64, j.data]) AS VARCHAR) END AS pk
FROM (
  SELECT n, f, line, j, ${FAST} AS fast FROM (
    SELECT row_number() OVER () AS n, filename AS f, line, try(json_transform(line, ${quote(transform)})) AS j
    FROM read_csv([${paths.map(quote).join(', ')}], columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',
      header = false, auto_detect = false, strict_mode = false, filename = true, compression = '${gzip ? 'gzip' : 'none'}')
  )
)`;
}

/** Per file of a staged read: rows (lines including blank ones), non-blank lines, fast lines, bytes the rows account for. */
export function stagedFilesSql(table: string): string {
  return `SELECT f, count(*) AS rows, count(line) AS lines, count(*) FILTER (WHERE fast) AS fast,
  sum(coalesce(strlen(line), 0) + 1) AS bytes FROM ${table} GROUP BY f`;
}

/** Lines the JavaScript path decides, in read order. */
export function slowLinesSql(table: string): string {
  return `SELECT f, line_no, line FROM (SELECT f, n - min(n) OVER (PARTITION BY f) + 1 AS line_no, n, fast, line FROM ${table})
WHERE NOT fast AND line IS NOT NULL ORDER BY n`;
}

/** Distinct payload keys (JSON [data_b64, data]) to decode in JavaScript. */
export function payloadKeysSql(table: string): string {
  return `SELECT DISTINCT pk FROM ${table} WHERE pk IS NOT NULL`;
}

/** The decoded payload columns per key. */
export function decodedTableSql(table: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${table} (pk VARCHAR, payload_kind VARCHAR, http_method VARCHAR, http_host VARCHAR,
  http_path VARCHAR, http_headers VARCHAR, smtp_ehlo VARCHAR, tls_sni VARCHAR)`;
}

/**
 * The `n` of staged fast lines to insert: not stored yet and the first of
 * their identity in the batch. Stored rows are looked up only in the batch's
 * time range (µs since the epoch), which zone maps on `ts` keep small.
 */
export function freshSql(fresh: string, staged: string, range: { loUs: number; hiUs: number }): string {
  const lo = Math.floor(range.loUs);
  const hi = Math.ceil(range.hiUs);
  return `CREATE OR REPLACE TEMP TABLE ${fresh} AS
SELECT n, f FROM (SELECT id, min(n) AS n, arg_min(f, n) AS f FROM ${staged} WHERE fast GROUP BY id) s
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.ts BETWEEN make_timestamp(${lo}) AND make_timestamp(${hi}) AND e.id = s.id)`;
}

/** Rows of `outbound`: the direct-tcpip requests and payloads, which the outbound questions read. */
export const OUTBOUND_EVENTS = `(${ATTEMPT}, ${[...PAYLOAD_EVENTS].map((e) => `'${e}'`).join(', ')})`;

/** Columns of `outbound`, named as in `events`. */
export const OUTBOUND_COLUMNS =
  'ts, eventid, session, sensor, src_ip, dst_ip, dst_port, payload_kind, http_method, http_host, http_path, http_headers, smtp_ehlo, tls_sni';

/** The fresh staged lines as `events` rows with their typed columns, in table order. */
function freshRowsSql(staged: string, fresh: string, decoded: string, onlyOutbound: boolean): string {
  const claimed = `(j.eventid = ${ATTEMPT} AND ${intValue('j.orig_port')} IS NULL)`;
  const matched = `regexp_matches(j.message, ${CLAIMED_ORIGIN})`;
  const durationMs = `coalesce(TRY_CAST(j.duration_ms AS DOUBLE),
    CASE WHEN regexp_full_match(j.duration, ${DECIMAL}) THEN
      CASE WHEN CAST(j.duration AS DOUBLE) * 1000 - floor(CAST(j.duration AS DOUBLE) * 1000) >= 0.5
        THEN ceil(CAST(j.duration AS DOUBLE) * 1000) ELSE floor(CAST(j.duration AS DOUBLE) * 1000) END END)`;
  return `SELECT s.id, s.ts, j.eventid, j.session, j.sensor, j.src_ip,
  CASE WHEN ${claimed} THEN NULL ELSE ${intValue('j.src_port')} END AS src_port,
  j.dst_ip, ${intValue('j.dst_port')} AS dst_port,
  CASE WHEN ${claimed} AND ${matched} THEN regexp_extract(j.message, ${CLAIMED_ORIGIN}, 1) ELSE j.orig_ip END AS orig_ip,
  CASE WHEN ${claimed} THEN (CASE WHEN ${matched} THEN CAST(regexp_extract(j.message, ${CLAIMED_ORIGIN}, 2) AS INTEGER) ELSE ${intValue('j.src_port')} END)
    ELSE ${intValue('j.orig_port')} END AS orig_port,
  j.username, j.password, j.input, j.url, j.shasum, ${durationMs} AS duration_ms,
  d.payload_kind, d.http_method, d.http_host, d.http_path, d.http_headers, d.smtp_ehlo, d.tls_sni, s.line AS raw
FROM ${staged} s LEFT JOIN ${decoded} d ON d.pk = s.pk
WHERE s.n IN (SELECT n FROM ${fresh})${onlyOutbound ? ` AND j.eventid IN ${OUTBOUND_EVENTS}` : ''}`;
}

/** Inserts the fresh staged lines into `events`. */
export function insertSql(staged: string, fresh: string, decoded: string): string {
  return `INSERT INTO events ${freshRowsSql(staged, fresh, decoded, false)}`;
}

/** Inserts the fresh staged outbound lines into `outbound`. */
export function insertOutboundSql(staged: string, fresh: string, decoded: string): string {
  return `INSERT INTO outbound SELECT ${OUTBOUND_COLUMNS} FROM (${freshRowsSql(staged, fresh, decoded, true)})`;
}
