import { randomBytes } from 'node:crypto';
import { toEventRow } from '../store/event-row.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOutboundRules } from '../analysis/outbound-rules.js';
import { ingestFiles } from '../store/ingest/ingest-files.js';
import { PostgresStore, withDefaultUser } from '../store/postgres/postgres-store.js';
import type { DashboardData } from './dashboard-data.js';
import { createSqlDashboardData } from './sql-dashboard-data.js';
import { openPostgresRunner, type SqlRunner } from './sql/sql-runner.js';
import { KAREIVA_2018, openFixtureStore, type FixtureStore } from './testing/open-fixture-store.js';

const POSTGRES_URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
const DAY = { since: new Date('2018-05-09T00:00:00Z'), until: new Date('2018-05-10T00:00:00Z') };

let duck: FixtureStore;
let pgStore: PostgresStore;
let pgSql: SqlRunner;
let postgres: DashboardData;
const schema = `hs_web_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  duck = await openFixtureStore();
  pgStore = await PostgresStore.open(POSTGRES_URL, { schema });
  await ingestFiles(pgStore, [KAREIVA_2018]);
  pgSql = openPostgresRunner(POSTGRES_URL, { schema });
  postgres = createSqlDashboardData({ store: pgStore, sql: pgSql, rules: await loadOutboundRules() });
});

afterAll(async () => {
  await pgSql?.close();
  await pgStore?.close();
  const client = new pg.Client({ connectionString: withDefaultUser(POSTGRES_URL) });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  await duck?.close();
});

describe('createSqlDashboardData() on DuckDB and PostgreSQL', () => {
  it('gives the same counters, rates, tree and link graph', async () => {
    expect(await postgres.overview({})).toEqual(await duck.data.overview({}));
    expect(await postgres.lastEventTime({})).toEqual(await duck.data.lastEventTime({}));
    for (const step of ['minute', '5min', 'hour', 'day'] as const) {
      expect(await postgres.rates({ ...DAY, step, sources: 3 }), step).toEqual(await duck.data.rates({ ...DAY, step, sources: 3 }));
    }
    expect(await postgres.tree({ top: 3 })).toEqual(await duck.data.tree({ top: 3 }));
    expect(await postgres.tree({ top: 5, port: 80, ...DAY })).toEqual(await duck.data.tree({ top: 5, port: 80, ...DAY }));
    const graph = { day: '2018-05-09', minAttempts: 2, maxEdges: 50 };
    expect(await postgres.linkGraph(graph)).toEqual(await duck.data.linkGraph(graph));
    expect(await postgres.outboundDays({})).toEqual(await duck.data.outboundDays({}));
  });

  it('gives the same sessions, session pages, top lists and newest events', async () => {
    const search = { q: 'admin', limit: 20, offset: 5 };
    const sessions = await duck.data.sessions(search);
    expect(sessions.length).toBe(20);
    expect(await postgres.sessions(search)).toEqual(sessions);
    const id = sessions[0]?.session ?? '';
    expect(await postgres.session(id)).toEqual(await duck.data.session(id));
    expect(await postgres.credentials({ limit: 30 })).toEqual(await duck.data.credentials({ limit: 30 }));
    expect(await postgres.commands({ limit: 30 })).toEqual(await duck.data.commands({ limit: 30 }));
    expect(await postgres.httpRequests({})).toEqual(await duck.data.httpRequests({}));
    const latest = await duck.data.recentEvents({ limit: 5 });
    expect(await postgres.recentEvents({ limit: 5 })).toEqual(latest);
    const after = latest[0]?.seq ?? 0;
    expect(await postgres.recentEvents({ afterSeq: after, limit: 10 })).toEqual(await duck.data.recentEvents({ afterSeq: after, limit: 10 }));
  });
});

describe('sessions(): the page of sessions', () => {
  // A reconnect under the same id (A), two connects at the same instant (D): each session once, placed by its first connect.
  const connect = (session: string, second: number, n: number): Record<string, unknown> => ({
    eventid: 'cowrie.session.connect',
    session,
    src_ip: `192.0.2.${n}`,
    sensor: 's',
    timestamp: `2026-11-28T10:00:0${second}.000000Z`,
    message: `New connection: 192.0.2.${n}:4000 (203.0.113.5:22) [session: ${session}] #${n}`,
  });
  const events = [connect('A', 1, 1), connect('A', 5, 2), connect('B', 3, 3), connect('C', 4, 4), connect('D', 2, 5), connect('D', 2, 6)];

  async function pages(data: DashboardData): Promise<string[][]> {
    const ids = async (search: Parameters<DashboardData['sessions']>[0]): Promise<string[]> => (await data.sessions(search)).map((s) => s.session);
    return [
      await ids({ limit: 10, offset: 0 }),
      await ids({ limit: 2, offset: 1 }),
      await ids({ limit: 10, offset: 0, since: new Date('2026-11-28T10:00:03Z') }),
    ];
  }
  // Within `since`, A's first connect is its second one: A is on the page, listed by its start like the others.
  const expected = [['C', 'B', 'D', 'A'], ['B', 'D'], ['C', 'B', 'A']];

  it('orders sessions by their first connect, newest first, on DuckDB', async () => {
    const fx = await openFixtureStore({ ingest: [] });
    try {
      await fx.add(events);
      expect(await pages(fx.data)).toEqual(expected);
    } finally {
      await fx.close();
    }
  });

  it('orders sessions by their first connect, newest first, on PostgreSQL', async () => {
    const own = `hs_web_${randomBytes(6).toString('hex')}`;
    const store = await PostgresStore.open(POSTGRES_URL, { schema: own });
    const sql = openPostgresRunner(POSTGRES_URL, { schema: own });
    try {
      await store.append(events.map((e) => toEventRow(e, JSON.stringify(e))));
      expect(await pages(createSqlDashboardData({ store, sql, rules: await loadOutboundRules() }))).toEqual(expected);
    } finally {
      await sql.close();
      await store.close();
      const client = new pg.Client({ connectionString: withDefaultUser(POSTGRES_URL) });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${own} CASCADE`);
      await client.end();
    }
  });
});
