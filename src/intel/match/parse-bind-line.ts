import type { LogRecord } from './log-record.js';
import { port } from './parse-zeek.js';

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const TIME = /^(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) /;
const CLIENT = /client (?:@\S+ )?(\S+)#(\d+) \(([^)]*)\): /;
const QUERY = /query: (\S+) (\S+) (\S+) (\S+)(?: \(([^)]+)\))?/;
const RPZ = /rpz (QNAME|IP|NSDNAME|NSIP|CLIENT-IP) (\S+) rewrite (\S+)\/(\S+)\/(\S+) via (\S+)/;

/**
 * A BIND query-log or RPZ line (file channel with print-time, or syslog).
 * Undefined for other named lines; a SyntaxError for a query or RPZ line
 * that does not have the expected shape.
 */
export function parseBindLine(line: string, where: { file: string; line: number }): LogRecord | undefined {
  const isQuery = line.includes(': query: ');
  const isRpz = line.includes(': rpz ');
  if (!isQuery && !isRpz) return undefined;
  const client = CLIENT.exec(line);
  if (!client) throw new SyntaxError('Cannot parse BIND log line: expected "client [@PTR] ADDRESS#PORT (NAME): "');
  const rest = line.slice(client.index + client[0].length);
  const base: LogRecord = {
    kind: 'dns',
    format: 'bind',
    file: where.file,
    line: where.line,
    raw: line,
    ts: bindTime(line),
    srcIp: client[1],
    srcPort: port(client[2]),
  };
  if (isRpz) {
    const m = RPZ.exec(rest);
    if (!m) throw new SyntaxError('Cannot parse BIND RPZ line: expected "rpz TRIGGER POLICY rewrite NAME/TYPE/CLASS via OWNER"');
    return { ...base, query: m[3], fields: { rpz_trigger: m[1], rpz_policy: m[2], qtype: m[4], qclass: m[5], via: m[6] } };
  }
  const m = QUERY.exec(rest);
  if (!m) throw new SyntaxError('Cannot parse BIND query line: expected "query: NAME CLASS TYPE FLAGS (SERVER)"');
  return { ...base, query: m[1], dstIp: m[5], fields: { qclass: m[2], qtype: m[3], flags: m[4] } };
}

/** `28-Nov-2026 17:03:34.815` as epoch seconds, read as UTC (BIND writes local time; servers here run UTC). */
function bindTime(line: string): number | undefined {
  const m = TIME.exec(line);
  if (!m) return undefined;
  const month = MONTHS[m[2]!];
  if (month === undefined) return undefined;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) / 1000;
}
