import { PAYLOAD_EVENTS } from '../event-row.js';

/**
 * SQL for DuckDB's native bulk path: whole files read by DuckDB's CSV reader
 * (one VARCHAR column per line), parsed once by json_transform, and typed
 * exactly as toEventRow() types them. Every line where DuckDB's reading could
 * differ from JSON.parse + toEventRow (NaN, trailing commas, surrogate escapes,
 * numbers or booleans where strings are expected, unusual timestamps) is
 * marked not `fast` and left to the JavaScript path, so both paths store the
 * same rows with the same identities.
 *
 * Cost matters here (the ingest target is a few µs per event): each layer of
 * the staging query computes its columns once, checks run on the field values
 * rather than on the line where they can, and the one expensive check (a second
 * parse with json_type) runs in a statement of its own on the few lines with
 * an odd value (resolveOddSql).
 */

/** Fields whose value is stored as toEventRow()'s str(): a string, or the text of a number. */
const TEXT_FIELDS = ['session', 'sensor', 'src_ip', 'dst_ip', 'orig_ip', 'username', 'password', 'input', 'url', 'shasum'] as const;
/** Fields that must be JSON strings for the SQL reading to hold (a number or boolean there is left to JavaScript). */
const STRING_FIELDS = ['eventid', 'message', 'data', 'data_b64'] as const;
const PORT_FIELDS = ['src_port', 'dst_port', 'orig_port'] as const;
/** Fields read from each line, all as VARCHAR (strings as they are, numbers as their text). */
const FIELDS = [...STRING_FIELDS, 'timestamp', ...TEXT_FIELDS, ...PORT_FIELDS, 'duration_ms', 'duration'] as const;
/** json_transform()'s structure for FIELDS. */
const TRANSFORM = `'{${FIELDS.map((f) => `"${f}":"VARCHAR"`).join(',')}}'`;
/** Fields whose JSON type a line with an odd value has looked up, in this order. */
const TYPED = [...STRING_FIELDS, ...TEXT_FIELDS, ...PORT_FIELDS, 'duration_ms'] as const;

const ATTEMPT = `'cowrie.direct-tcpip.request'`;
const PAYLOAD_IN = `(${[...PAYLOAD_EVENTS].map((e) => `'${e}'`).join(', ')})`;
const CLAIMED_ORIGIN = `' from (\\S+):([0-9]+)$'`;
const DECIMAL = `'-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?'`;
const NUMBER_TYPES = `('BIGINT', 'UBIGINT', 'DOUBLE')`;

/**
 * Lines JSON.parse rejects or reads differently from DuckDB's parser: the
 * non-finite numbers Python writes, trailing commas, lone surrogate and NUL
 * escapes. One regular expression for the commas costs less than four
 * substring searches for a character as common as ','.
 */
const LINE_UNCLEAR = `contains(line, 'NaN') OR contains(line, 'Infinity') OR regexp_matches(line, ',[ \\t\\r\\n]*[]}]')
  OR (contains(line, '\\u') AND (${['\\ud', '\\uD', '\\u0000'].map((s) => `contains(line, '${s}')`).join(' OR ')}))`;

/**
 * A VARCHAR that may not have been a JSON string: the text of an object,
 * array, boolean or number. A number starts with '-' or a digit, both below
 * ':'; a regular expression on a short value costs less than a cast.
 */
function notSurelyString(v: string): string {
  return `(left(${v}, 1) IN ('[', '{') OR ${v} IN ('true', 'false') OR (${v} < ':' AND regexp_full_match(${v}, ${DECIMAL})))`;
}

/** Decimal text of an integer that JavaScript's String() writes the same way. */
function canonicalInt(v: string): string {
  return `regexp_full_match(${v}, '-?[1-9][0-9]{0,14}|0')`;
}

/** 1 to 5 ASCII digits: a port as toEventRow()'s int() reads it, from a number or a string. */
function portDigits(v: string): string {
  return `regexp_full_match(${v}, '[0-9]{1,5}')`;
}

/**
 * Whether any string field of a line may not have been a JSON string, as
 * notSurelyString() decides per field, in one regular expression over the
 * values joined by U+001F: cheaper than three tests on each of 14 fields. A
 * value holding U+001F itself can only make the line look odd, never hide it.
 */
const ODD_STRINGS = `regexp_matches(concat_ws(chr(31), '', ${[...STRING_FIELDS, ...TEXT_FIELDS].join(', ')}, ''),
  '\\x1f(?:[[{]|(?:true|false|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\x1f)')`;

/**
 * Whether a field's value may read differently in SQL and in toEventRow(),
 * which its JSON type then decides. Cheap, and false for nearly every value.
 */
function odd(field: (typeof TYPED)[number]): string {
  if ((PORT_FIELDS as readonly string[]).includes(field)) return `(${field} IS NOT NULL AND NOT ${portDigits(field)})`;
  // duration_ms counts only as a number; a string there sends toEventRow() to `duration`.
  if (field === 'duration_ms') return `${field} IS NOT NULL`;
  return notSurelyString(field);
}

/** Whether an odd field's value reads the same in SQL as in toEventRow(), given the line's JSON types (`types`). */
function clear(field: (typeof TYPED)[number]): string {
  const type = `types[${TYPED.indexOf(field) + 1}]`;
  if (field === 'duration_ms') return `(${field} IS NULL OR ${type} IN ${NUMBER_TYPES})`;
  if ((PORT_FIELDS as readonly string[]).includes(field)) {
    // int() takes an integer number whatever its digits, but no string other than 1 to 5 digits.
    return `(NOT ${odd(field)} OR NOT regexp_full_match(${field}, ${DECIMAL}) OR ${type} = 'VARCHAR')`;
  }
  // str() writes an integer's digits, which is what DuckDB read.
  const integer = (TEXT_FIELDS as readonly string[]).includes(field) ? ` OR ${canonicalInt(field)}` : '';
  return `(NOT coalesce(${odd(field)}, false) OR ${type} = 'VARCHAR'${integer})`;
}

/** `duration` (float or string seconds) as toEventRow() rounds it to ms, for the decimal texts both read alike. */
const DURATION_MS = `CASE WHEN regexp_full_match(duration, ${DECIMAL}) THEN
    CASE WHEN CAST(duration AS DOUBLE) * 1000 - floor(CAST(duration AS DOUBLE) * 1000) >= 0.5
      THEN ceil(CAST(duration AS DOUBLE) * 1000) ELSE floor(CAST(duration AS DOUBLE) * 1000) END END`;

/**
 * Lines whose every column SQL types as toEventRow() does, unless an odd
 * value says otherwise (resolveOddSql). A CASE, because DuckDB evaluates every
 * operand of AND and OR in a projection, but each WHEN only on the rows the
 * earlier ones left: the regular expressions run on the few lines that need them.
 */
const FAST = `CASE
  WHEN NOT coalesce(parsed AND eventid IS NOT NULL AND message IS NOT NULL AND message <> '' AND ts IS NOT NULL AND strlen(timestamp) = 27, false) THEN false
  WHEN NOT regexp_full_match(timestamp, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z') THEN false
  -- DuckDB reads hour 24 as the next midnight, which JavaScript refuses; a regular expression that says so costs µs a line.
  WHEN ts < TIMESTAMP '1970-01-01' OR ts >= TIMESTAMP '2100-01-01' OR substr(timestamp, 12, 2) = '24' THEN false
  WHEN ${LINE_UNCLEAR} THEN false
  WHEN duration IS NOT NULL AND duration_ms IS NULL AND NOT coalesce(ascii(duration) IN (91, 123) OR duration IN ('true', 'false')
    OR (regexp_full_match(duration, ${DECIMAL}) AND isfinite(CAST(duration AS DOUBLE) * 1000)), false) THEN false
  WHEN eventid = ${ATTEMPT} AND (regexp_matches(message, '[^ -~]')
    OR (regexp_matches(message, ${CLAIMED_ORIGIN}) AND TRY_CAST(regexp_extract(message, ${CLAIMED_ORIGIN}, 2) AS INTEGER) IS NULL)) THEN false
  ELSE true END`;

/** eventIdentity(): sha256 over sensor, session, eventid, timestamp and message joined by U+001F, first 128 bits. */
const IDENTITY = `CAST(substr(sha256(concat(coalesce(sensor, ''), chr(31), coalesce(session, ''), chr(31), eventid, chr(31), timestamp, chr(31), message)), 1, 32) AS UUID)`;

function portValue(v: string): string {
  return `CASE WHEN ${portDigits(v)} THEN CAST(${v} AS INTEGER) END`;
}

/** direct-tcpip requests before Cowrie 3.0.12: the claimed originator is in `src_port` and the message. */
const CLAIMED = `(eventid = ${ATTEMPT} AND ${portValue('orig_port')} IS NULL)`;
const MATCHED = `regexp_matches(message, ${CLAIMED_ORIGIN})`;

/** The typed `events` columns of a fast line, named as in the table; `pk` keys its payload columns, decoded in JavaScript. */
const TYPED_COLUMNS: ReadonlyArray<[string, string]> = [
  ['id', IDENTITY],
  ['ts', 'ts'],
  ['eventid', 'eventid'],
  ['session', 'session'],
  ['sensor', 'sensor'],
  ['src_ip', 'src_ip'],
  ['src_port', `CASE WHEN ${CLAIMED} THEN NULL ELSE ${portValue('src_port')} END`],
  ['dst_ip', 'dst_ip'],
  ['dst_port', portValue('dst_port')],
  ['orig_ip', `CASE WHEN ${CLAIMED} AND ${MATCHED} THEN regexp_extract(message, ${CLAIMED_ORIGIN}, 1) ELSE orig_ip END`],
  [
    'orig_port',
    `CASE WHEN ${CLAIMED} THEN (CASE WHEN ${MATCHED} THEN CAST(regexp_extract(message, ${CLAIMED_ORIGIN}, 2) AS INTEGER) ELSE ${portValue('src_port')} END)
    ELSE ${portValue('orig_port')} END`,
  ],
  ['username', 'username'],
  ['password', 'password'],
  ['input', 'input'],
  ['url', 'url'],
  ['shasum', 'shasum'],
  ['duration_ms', `CASE WHEN duration_ms IS NOT NULL THEN CAST(duration_ms AS DOUBLE) ELSE ${DURATION_MS} END`],
  ['pk', `CASE WHEN eventid IN ${PAYLOAD_IN} THEN CAST(to_json([data_b64, data]) AS VARCHAR) END`],
];

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Stages the lines of `paths` (all gzip or all plain) into the temp table
 * `table`: line number in the read (`n`), file, the line (NULL when blank),
 * whether it is `fast`, whether it has an `odd` value, and for fast lines
 * `r`: their typed `events` columns and payload key.
 */
export function stageSql(table: string, paths: readonly string[], gzip: boolean): string {
  return `CREATE OR REPLACE TEMP TABLE ${table} AS
SELECT n, f, line, fast, odd, CASE WHEN fast THEN {${TYPED_COLUMNS.map(([name, expr]) => `'${name}': ${expr}`).join(', ')}} END AS r
FROM (
  SELECT *, ${FAST} AS fast FROM (
    SELECT *, coalesce(${ODD_STRINGS} OR ${[...PORT_FIELDS, 'duration_ms' as const].map(odd).join(' OR ')}, false) AS odd,
      TRY_CAST(left(timestamp, 26) AS TIMESTAMP) AS ts
    FROM (
      SELECT n, f, line, j IS NOT NULL AS parsed, ${FIELDS.map((f) => `j.${f} AS ${f}`).join(', ')} FROM (
        SELECT row_number() OVER () AS n, filename AS f, line, try(json_transform(line, ${TRANSFORM})) AS j
        FROM read_csv([${paths.map(quote).join(', ')}], columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',
          header = false, auto_detect = false, strict_mode = false, filename = true, compression = '${gzip ? 'gzip' : 'none'}')
      )
    )
  )
)`;
}

/**
 * Marks not fast the staged lines with an odd value that SQL would read
 * differently from toEventRow(), once their JSON types are known. Statements
 * of their own, over the few odd lines: as a WHEN of the staging query, the
 * long check cost a microsecond per line even on the lines it skipped. The
 * odd lines are parsed into a table first, since a filter over a projection
 * would repeat the parse at each reference to a field.
 */
export function resolveOddSql(table: string): string {
  const odd = `${table}_odd`;
  return `CREATE OR REPLACE TEMP TABLE ${odd} AS
SELECT n, ${FIELDS.map((f) => `j.${f} AS ${f}`).join(', ')}, types FROM (
  SELECT n, json_transform(line, ${TRANSFORM}) AS j, json_type(line, [${TYPED.map((f) => `'$.${f}'`).join(', ')}]) AS types
  FROM ${table} WHERE fast AND odd
);
UPDATE ${table} SET fast = false WHERE n IN (SELECT n FROM ${odd} WHERE NOT coalesce(${TYPED.map(clear).join(' AND ')}, false));
DROP TABLE ${odd}`;
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
  return `SELECT DISTINCT r.pk AS pk FROM ${table} WHERE r.pk IS NOT NULL`;
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
SELECT n FROM (SELECT r.id AS id, min(n) AS n FROM ${staged} WHERE fast GROUP BY r.id) s
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.ts BETWEEN make_timestamp(${lo}) AND make_timestamp(${hi}) AND e.id = s.id)`;
}

/** Per file, the staged lines to insert: those in `fresh`, or every fast line when `fresh` is undefined. */
export function freshPerFileSql(staged: string, fresh: string | undefined): string {
  const which = fresh === undefined ? 'fast' : `n IN (SELECT n FROM ${fresh})`;
  return `SELECT f, count(*) AS n FROM ${staged} WHERE ${which} GROUP BY f`;
}

const EVENT_COLUMNS_SQL = `r.id AS id, r.ts AS ts, r.eventid AS eventid, r.session AS session, r.sensor AS sensor, r.src_ip AS src_ip,
  r.src_port AS src_port, r.dst_ip AS dst_ip, r.dst_port AS dst_port, r.orig_ip AS orig_ip, r.orig_port AS orig_port,
  r.username AS username, r.password AS password, r.input AS input, r.url AS url, r.shasum AS shasum, r.duration_ms AS duration_ms,
  d.payload_kind, d.http_method, d.http_host, d.http_path, d.http_headers, d.smtp_ehlo, d.tls_sni, s.line AS raw`;

/**
 * The staged lines to store as `events` rows, in table order: those in
 * `fresh`, or every fast line when `fresh` is undefined (none is stored yet
 * nor repeated in the batch, which spares the join).
 */
function freshRowsSql(staged: string, fresh: string | undefined, decoded: string): string {
  const which = fresh === undefined ? 's.fast' : `s.n IN (SELECT n FROM ${fresh})`;
  return `SELECT ${EVENT_COLUMNS_SQL}
FROM ${staged} s LEFT JOIN ${decoded} d ON d.pk = s.r.pk
WHERE ${which}`;
}

/** Inserts the fresh staged lines into `events`. */
export function insertSql(staged: string, fresh: string | undefined, decoded: string): string {
  return `INSERT INTO events ${freshRowsSql(staged, fresh, decoded)}`;
}

