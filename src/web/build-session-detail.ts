import type { SessionDetail } from './dashboard-data.js';

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

const MAX_PAYLOAD = 2000;

/**
 * One session's page from its events (parsed raw JSON, in time order): the
 * credentials tried, commands, outbound attempts with the first bytes sent in
 * each, downloads and the terminal recording's name.
 */
export function buildSessionDetail(id: string, events: readonly Record<string, unknown>[]): SessionDetail | null {
  if (events.length === 0) return null;
  const first = events[0] ?? {};
  const detail: SessionDetail = {
    session: id,
    srcIp: text(first.src_ip) ?? '',
    sensor: text(first.sensor) ?? '',
    start: text(first.timestamp) ?? '',
    end: text(events.at(-1)?.timestamp) ?? null,
    loggedIn: false,
    commandCount: 0,
    attemptCount: 0,
    clientVersion: null,
    credentials: [],
    commands: [],
    tunnels: [],
    downloads: [],
    ttylog: null,
  };
  for (const e of events) {
    const timestamp = text(e.timestamp) ?? '';
    switch (e.eventid) {
      case 'cowrie.client.version':
        detail.clientVersion = text(e.version);
        break;
      case 'cowrie.login.success':
      case 'cowrie.login.failed': {
        const success = e.eventid === 'cowrie.login.success';
        detail.loggedIn ||= success;
        detail.credentials.push({ timestamp, username: text(e.username) ?? '', password: text(e.password) ?? '', success });
        break;
      }
      case 'cowrie.command.input':
      case 'cowrie.command.failed':
        if (e.eventid === 'cowrie.command.input') detail.commandCount += 1;
        detail.commands.push({ timestamp, input: text(e.input) ?? '', failed: e.eventid === 'cowrie.command.failed' });
        break;
      case 'cowrie.direct-tcpip.request':
        detail.attemptCount += 1;
        detail.tunnels.push({ timestamp, dstIp: text(e.dst_ip) ?? '', dstPort: Number(e.dst_port ?? 0), payload: null });
        break;
      case 'cowrie.direct-tcpip.data': {
        const tunnel = detail.tunnels.findLast((t) => t.payload === null && t.dstIp === text(e.dst_ip) && t.dstPort === Number(e.dst_port ?? 0));
        // Cowrie's Python bytes repr as logged, else the lossless base64 shown as text.
        const data = text(e.data) ?? (typeof e.data_b64 === 'string' ? Buffer.from(e.data_b64, 'base64').toString('utf8') : null);
        if (tunnel && data !== null) tunnel.payload = data.length > MAX_PAYLOAD ? `${data.slice(0, MAX_PAYLOAD)}…` : data;
        break;
      }
      case 'cowrie.session.file_download':
      case 'cowrie.session.file_download.failed':
      case 'cowrie.session.file_upload':
        detail.downloads.push({
          timestamp,
          url: text(e.url) ?? text(e.filename),
          shasum: text(e.shasum),
          outfile: text(e.outfile) ?? text(e.destfile),
          failed: e.eventid === 'cowrie.session.file_download.failed',
        });
        break;
      case 'cowrie.log.closed':
        detail.ttylog = text(e.ttylog) ?? detail.ttylog;
        break;
      default:
        break;
    }
  }
  return detail;
}
