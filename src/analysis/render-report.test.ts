import { describe, it, expect } from 'vitest';
import type { Report } from './build-report.js';
import { escapeHtml, renderReportHtml } from './render-report-html.js';
import { printable, renderReportText } from './render-report-text.js';
import { parseTimeBound } from './parse-time-bound.js';

const EVIL = '<script>alert(1)</script>\u001b[2J"\'&';

function report(): Report {
  const bucket = { start: '2016-03-22T10:00:00.000Z', min: 0, avg: 1, max: 17, total: 20 };
  return {
    generatedAt: '2026-11-28T00:00:00.000Z',
    filter: { since: null, until: null, sensor: null },
    range: { first: '2016-03-22T10:00:00.000Z', last: '2016-03-22T10:04:00.000Z' },
    events: 30,
    sessions: 2,
    eventIds: [],
    outbound: {
      attempts: 20,
      intruders: 1,
      byOriginIp: [{ ip: '193.201.224.206', attempts: 20, sessions: 2 }],
      byPort: [{ port: 25, attempts: 20 }],
      byDestination: [{ ip: '9.9.9.9', port: 25, attempts: 20 }],
      byHost: [],
      peakPerMinute: { minute: '2016-03-22T10:00:00.000Z', attempts: 17 },
      rates: { fiveMinutes: [bucket], hours: [bucket], days: [bucket] },
      treeMap: [{ name: '193.201.224.206', value: 20, children: [{ name: 'port 25', value: 20, children: [{ name: EVIL, value: 20 }] }] }],
      linkGraph: {
        day: '2016-03-22',
        nodes: [
          { id: 'src 193.201.224.206', kind: 'source', value: 20 },
          { id: 'port 25', kind: 'port', value: 20 },
          { id: `dst ${EVIL}`, kind: 'destination', value: 20 },
        ],
        edges: [
          { source: 'src 193.201.224.206', target: 'port 25', value: 20 },
          { source: 'port 25', target: `dst ${EVIL}`, value: 20 },
        ],
        omitted: 0,
      },
    },
    smtp: { ehlo: [{ greeting: EVIL, count: 3 }] },
    http: { requests: [{ method: 'GET', host: EVIL, path: '/', category: 'unexplored', count: 1, tells: [], headers: [] }], byCategory: [{ category: 'unexplored', count: 1 }] },
    tls: { sni: [] },
    credentials: [],
    commands: [],
    downloads: [],
    topSessions: [],
  };
}

describe('renderReportHtml()', () => {
  it('writes one page with three SVG charts, no script and every attacker string escaped', () => {
    const html = renderReportHtml(report());
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\\x1b[2J&#34;&#39;&#38;');
    expect(html).toContain('<td class="n">17</td>');
  });
});

describe('renderReportText()', () => {
  it('prints the tables with control characters escaped', () => {
    const text = renderReportText(report());
    expect(text).toContain('Outbound attempts 20 from 1 source IPs; busiest minute 2016-03-22T10:00:00.000Z (17/min)');
    expect(text).toContain('    3  <script>alert(1)</script>\\x1b[2J"\'&');
    expect(text).not.toContain('\u001b');
  });
});

describe('escapeHtml() and printable()', () => {
  it('escape markup and control characters', () => {
    expect(escapeHtml('<a href="x">&\'')).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
    expect(printable('a\r\nb\u007f')).toBe('a\\x0d\\x0ab\\x7f');
    // "exe.txt" shown right to left, and a zero-width space that makes two names look alike.
    expect(printable('evil\u202etxt.exe a\u200bb')).toBe('evil\\u202etxt.exe a\\u200bb');
  });
});

describe('parseTimeBound()', () => {
  it('reads ISO dates, times and durations before now', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseTimeBound('2018-05-09', now)).toBe(Date.parse('2018-05-09T00:00:00Z') * 1000);
    expect(parseTimeBound('2018-05-09T20:14', now)).toBe(Date.parse('2018-05-09T20:14:00Z') * 1000);
    expect(parseTimeBound('24h', now)).toBe(Date.parse('2026-11-27T12:00:00Z') * 1000);
    expect(() => parseTimeBound('yesterday', now)).toThrow(
      'Cannot parse time "yesterday": expected an ISO date or time (2018-05-09, 2018-05-09T20:14Z) or a duration (90m, 24h, 7d, 2w)',
    );
  });
});
