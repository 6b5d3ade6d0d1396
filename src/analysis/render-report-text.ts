import type { Report } from './build-report.js';

/** One table: a title, column headers and rows of cells. */
export interface TextTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** The report's tables, shared by the text and HTML renderers (pure). */
export function reportTables(report: Report): TextTable[] {
  return [
    { title: 'Outbound attempts per originating IP', columns: ['attempts', 'sessions', 'originating IP'], rows: report.outbound.byOriginIp.map((r) => [r.attempts, r.sessions, r.ip]) },
    { title: 'Outbound attempts per destination port', columns: ['attempts', 'port'], rows: report.outbound.byPort.map((r) => [r.attempts, r.port]) },
    { title: 'Outbound attempts per destination', columns: ['attempts', 'destination IP', 'port'], rows: report.outbound.byDestination.map((r) => [r.attempts, r.ip, r.port]) },
    { title: 'Destination hosts named in payloads', columns: ['count', 'kind', 'host'], rows: report.outbound.byHost.map((r) => [r.count, r.kind, r.host]) },
    { title: 'EHLO/HELO greetings', columns: ['count', 'greeting'], rows: report.smtp.ehlo.map((r) => [r.count, r.greeting]) },
    {
      title: 'HTTP requests',
      columns: ['count', 'category', 'method', 'host', 'path', 'tells'],
      rows: report.http.requests.map((r) => [r.count, r.category, r.method, r.host, r.path, r.tells.join(',')]),
    },
    { title: 'HTTP requests per category', columns: ['count', 'category'], rows: report.http.byCategory.map((r) => [r.count, r.category]) },
    { title: 'TLS server names (SNI)', columns: ['count', 'server name'], rows: report.tls.sni.map((r) => [r.count, r.name]) },
    {
      title: 'Outbound attempts per day (per minute: min/avg/max), busiest days',
      columns: ['day', 'attempts', 'min', 'avg', 'max'],
      rows: [...report.outbound.rates.days]
        .sort((a, b) => b.total - a.total || (a.start < b.start ? -1 : 1))
        .slice(0, Math.max(1, report.outbound.byOriginIp.length, 14))
        .filter((d) => d.total > 0)
        .map((d) => [d.start.slice(0, 10), d.total, d.min, d.avg, d.max]),
    },
    { title: 'Credentials', columns: ['tries', 'accepted', 'username', 'password'], rows: report.credentials.map((r) => [r.count, r.successes, r.username, r.password]) },
    { title: 'Commands', columns: ['count', 'command'], rows: report.commands.map((r) => [r.count, r.name]) },
    { title: 'Downloads', columns: ['count', 'url', 'sha256'], rows: report.downloads.map((r) => [r.count, r.url, r.shasum]) },
    {
      title: 'Sessions with most events',
      columns: ['events', 'logins', 'commands', 'attempts', 'source IP', 'session', 'start'],
      rows: report.topSessions.map((s) => [s.events, s.logins, s.commands, s.attempts, s.srcIp, s.session, new Date(Math.floor(s.startUs / 1000)).toISOString()]),
    },
  ];
}

/**
 * The report as plain-text tables. Attacker strings are shown with control
 * characters escaped, so nothing they sent can drive the terminal (pure).
 */
export function renderReportText(report: Report): string {
  const peak = report.outbound.peakPerMinute;
  const out = [
    `Events ${report.events}, sessions ${report.sessions}, from ${report.range.first ?? '-'} to ${report.range.last ?? '-'}`,
    `Outbound attempts ${report.outbound.attempts} from ${report.outbound.intruders} source IPs; busiest minute ${peak ? `${peak.minute} (${peak.attempts}/min)` : '-'}`,
  ];
  for (const table of reportTables(report)) {
    if (table.rows.length === 0) continue;
    out.push('', table.title, ...formatTable(table.columns, table.rows));
  }
  return `${out.join('\n')}\n`;
}

function formatTable(columns: string[], rows: Array<Array<string | number>>): string[] {
  const cells = [columns, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : printable(c))))];
  const widths = columns.map((_, i) => Math.min(60, Math.max(...cells.map((r) => (r[i] ?? '').length))));
  return cells.map((r, ri) =>
    r
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const cut = c.length > w ? `${c.slice(0, w - 1)}…` : c;
        return ri > 0 && typeof rows[ri - 1]?.[i] === 'number' ? cut.padStart(w) : cut.padEnd(w);
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Control characters and DEL as \xNN; the invisible format characters an attacker
 * can use to reorder or hide what a terminal shows (bidirectional overrides and
 * isolates, zero-width characters, the byte order mark) as \uNNNN.
 */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
