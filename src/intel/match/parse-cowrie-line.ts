import type { LogRecord, RecordKind } from './log-record.js';
import { parseIpv4, parseIpv6 } from './parse-ip.js';
import { parseObject, port } from './parse-zeek.js';

/**
 * One line of the honeypot's event log (Cowrie JSON). Tunnels carry the
 * destination the bot asked for (an address or a name), downloads their URL
 * and hash, scan results their hash and verdict.
 */
export function parseCowrieLine(line: string, where: { file: string; line: number }): LogRecord {
  const fields = parseObject(line);
  const eventid = fields.eventid;
  if (typeof eventid !== 'string') throw new SyntaxError('Cannot parse event: expected an "eventid" string');
  const str = (name: string): string | undefined => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  const ms = Date.parse(str('timestamp') ?? '');
  const record: LogRecord = {
    kind: kindOf(eventid),
    format: 'cowrie',
    file: where.file,
    line: where.line,
    raw: line,
    ts: Number.isNaN(ms) ? undefined : ms / 1000,
    uid: str('session'),
    srcIp: str('src_ip'),
    srcPort: typeof fields.src_port === 'number' ? fields.src_port : undefined,
    fields,
  };
  const dst = str('dst_ip');
  if (dst !== undefined) {
    if (parseIpv4(dst) >= 0 || parseIpv6(dst) !== undefined) record.dstIp = dst;
    else record.query = dst;
    record.dstPort = typeof fields.dst_port === 'number' ? fields.dst_port : port(str('dst_port'));
  }
  record.host = str('host') ?? str('sni');
  record.url = str('url');
  const shasum = str('shasum');
  if (shasum !== undefined) record.hashes = [shasum];
  return record;
}

function kindOf(eventid: string): RecordKind {
  if (eventid.startsWith('cowrie.direct-tcpip.') || eventid.startsWith('honeyscope.tunnel.')) return 'tunnel';
  if (eventid === 'honeyscope.scan.result' || eventid.startsWith('cowrie.session.file_')) return 'file';
  return 'event';
}
