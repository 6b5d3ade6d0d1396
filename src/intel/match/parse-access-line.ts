import type { LogRecord } from './log-record.js';

const COMBINED = /^(\S+) \S+ (?:\S+|"[^"]*") \[([^\]]+)\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+|-)(?: "([^"\\]*(?:\\.[^"\\]*)*)" "([^"\\]*(?:\\.[^"\\]*)*)")?/;
const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** True when a line has the shape of an nginx/Apache common or combined log line. */
export function isAccessLine(line: string): boolean {
  return COMBINED.test(line);
}

/** One nginx/Apache combined (or common) access-log line; a SyntaxError for anything else. */
export function parseAccessLine(line: string, where: { file: string; line: number }): LogRecord {
  const m = COMBINED.exec(line);
  if (!m) throw new SyntaxError('Cannot parse access log line: expected the combined log format');
  const [method = '', target = '', protocol = ''] = m[3]!.split(' ');
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/:]+)/i.exec(target);
  return {
    kind: 'http',
    format: 'access',
    file: where.file,
    line: where.line,
    raw: line,
    ts: accessTime(m[2]!),
    srcIp: m[1],
    host: absolute?.[1],
    url: absolute ? target : undefined,
    fields: { method, target, protocol, status: Number(m[4]), bytes: m[5] === '-' ? 0 : Number(m[5]), referer: m[6], user_agent: m[7] },
  };
}

/** `10/Oct/2000:13:55:36 -0700` as epoch seconds. */
function accessTime(text: string): number | undefined {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(text);
  const month = m ? MONTHS[m[2]!] : undefined;
  if (!m || month === undefined) return undefined;
  const ms = Date.parse(`${m[3]}-${month}-${m[1]}T${m[4]}${m[5]}:${m[6]}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
