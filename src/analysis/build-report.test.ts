import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { PostgresStore, withDefaultUser } from '../store/postgres/postgres-store.js';
import { ingestFiles } from '../store/ingest/ingest-files.js';
import type { Store } from '../store/store.js';
import { buildReport, type Report } from './build-report.js';
import { classifyPayload } from './classify-payload.js';
import { loadOutboundRules, type OutboundRules } from './outbound-rules.js';

const KAREIVA = '/work/shared/fixtures/cowrie/kareiva-2018';
const COWRIE_3 = '/work/shared/fixtures/cowrie/cowrie-3.0.12';
const POSTGRES_URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
const LIMIT = 50;

type Raw = Record<string, unknown>;

/** Counts into a map, then the top `n` by count desc and key asc, as the report orders them. */
function tally<K>(items: Iterable<K>, key: (k: K) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The report's numbers recomputed straight from the files with JSON.parse and
 * a hand-rolled reading of the Python 2 payload repr: no store, no protocols module.
 */
async function recompute(rules: OutboundRules): Promise<Pick<Report, 'events' | 'sessions'> & Record<string, unknown>> {
  const events: Raw[] = [];
  for (const dir of [KAREIVA, COWRIE_3]) {
    for (const name of (await readdir(dir)).sort()) {
      for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) if (line.trim() !== '') events.push(JSON.parse(line) as Raw);
    }
  }
  const attempts = events.filter((e) => e.eventid === 'cowrie.direct-tcpip.request');
  const minutes = tally(attempts, (e) => String(e.timestamp).slice(0, 16));
  let peak = minutes[0] as [string, number];
  for (const m of minutes) if (m[1] > peak[1] || (m[1] === peak[1] && m[0] < peak[0])) peak = m;
  const http: Array<{ method: string; host: string; path: string; category: string }> = [];
  const ehlo: string[] = [];
  for (const e of events) {
    if (e.eventid !== 'cowrie.direct-tcpip.data') continue;
    const data = String(e.data);
    const greeting = /^b?'EHLO ([^\\']*)\\r\\n/.exec(data);
    if (greeting !== null) ehlo.push(greeting[1] as string);
    const line = /^b?'([A-Z]+) (\S+) HTTP\/1\.[01]\\r\\n/.exec(data);
    if (line === null) continue;
    const host = /\\r\\nHost: ([^\\]*)\\r\\n/i.exec(data)?.[1] ?? '';
    const ua = /\\r\\nUser-Agent: ([^\\]*)\\r\\n/i.exec(data)?.[1] ?? null;
    const path = (line[2] as string).split('?')[0] as string;
    const method = line[1] as string;
    http.push({ method, host, path, category: classifyPayload({ kind: 'http', port: Number(e.dst_port), host, path, method, userAgent: ua }, rules) });
  }
  return {
    events: events.length,
    sessions: new Set(events.map((e) => e.session).filter((s) => s !== undefined)).size,
    attempts: attempts.length,
    byOriginIp: tally(attempts, (e) => String(e.src_ip)).slice(0, LIMIT).map(([ip, n]) => ({ ip, attempts: n })),
    byPort: tally(attempts, (e) => String(e.dst_port))
      .map(([port, n]) => ({ port: Number(port), attempts: n }))
      .sort((a, b) => b.attempts - a.attempts || a.port - b.port)
      .slice(0, LIMIT),
    byDestination: tally(attempts, (e) => `${String(e.dst_ip)} ${String(e.dst_port)}`)
      .map(([k, n]) => ({ ip: k.split(' ')[0] as string, port: Number(k.split(' ')[1]), attempts: n }))
      .sort((a, b) => b.attempts - a.attempts || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port))
      .slice(0, LIMIT),
    peakPerMinute: { minute: `${peak[0]}:00.000Z`, attempts: peak[1] },
    ehlo: tally(ehlo, (g) => g)
      .slice(0, LIMIT)
      .map(([greeting, count]) => ({ greeting, count })),
    sni: [],
    http: tally(http, (h) => JSON.stringify([h.method, h.host, h.path, h.category]))
      .slice(0, LIMIT)
      .map(([k, count]) => {
        const [method, host, path, category] = JSON.parse(k) as string[];
        return { method, host, path, category, count };
      }),
  };
}

describe.each([
  ['DuckDB', 'duckdb'],
  ['PostgreSQL', 'postgres'],
])('buildReport() on %s over the 14 kareiva days and the Cowrie 3.0.12 captures', (_name, kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let report: Report;
  let expected: Awaited<ReturnType<typeof recompute>>;

  beforeAll(async () => {
    if (kind === 'duckdb') {
      const dir = await mkdtemp(join(tmpdir(), 'hs-report-'));
      store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
      cleanup = () => rm(dir, { recursive: true, force: true });
    } else {
      const schema = `hs_report_${randomBytes(6).toString('hex')}`;
      store = await PostgresStore.open(POSTGRES_URL, { schema });
      cleanup = async () => {
        const client = new pg.Client({ connectionString: withDefaultUser(POSTGRES_URL) });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      };
    }
    await ingestFiles(store, [KAREIVA, COWRIE_3]);
    const rules = await loadOutboundRules();
    report = await buildReport(store, { rules, limit: LIMIT, now: () => new Date('2026-11-28T00:00:00Z') });
    expected = await recompute(rules);
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('counts events, sessions and outbound attempts as the raw files do', () => {
    expect(report.events).toBe(expected.events);
    expect(report.sessions).toBe(expected.sessions);
    expect(report.outbound.attempts).toBe(expected.attempts);
    expect(report.outbound.attempts).toBeGreaterThan(1065);
  });

  it('ranks originating IPs, ports and destinations as the raw files do', () => {
    expect(report.outbound.byOriginIp.map(({ ip, attempts }) => ({ ip, attempts }))).toEqual(expected.byOriginIp);
    expect(report.outbound.byPort).toEqual(expected.byPort);
    expect(report.outbound.byDestination).toEqual(expected.byDestination);
  });

  it('finds the same busiest minute, EHLO greetings, TLS names and HTTP requests', () => {
    expect(report.outbound.peakPerMinute).toEqual(expected.peakPerMinute);
    expect(report.smtp.ehlo).toEqual(expected.ehlo);
    expect(report.smtp.ehlo.length).toBeGreaterThan(10);
    expect(report.tls.sni).toEqual(expected.sni);
    expect(report.http.requests.map(({ method, host, path, category, count }) => ({ method, host, path, category, count }))).toEqual(expected.http);
  });

  it('rolls the rate into days whose totals add up to the attempts, and a tree map of the same total', () => {
    expect(report.outbound.rates.days[0]?.start).toBe('2018-05-06T00:00:00.000Z');
    expect(report.outbound.rates.days.reduce((s, d) => s + d.total, 0)).toBe(expected.attempts);
    expect(report.outbound.treeMap.reduce((s, n) => s + n.value, 0)).toBe(expected.attempts);
    expect(report.outbound.linkGraph?.edges.length).toBeGreaterThan(0);
  });
});
