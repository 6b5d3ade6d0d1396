import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expected, spreadRows } from '../store.case.test.js';
import { PostgresStore, withDefaultUser } from './postgres-store.js';

const URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';

let schema = '';
let admin: pg.Client;

beforeEach(async () => {
  schema = `hs_rollups_${randomBytes(6).toString('hex')}`;
  admin = new pg.Client({ connectionString: withDefaultUser(URL) });
  await admin.connect();
});

afterEach(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('PostgreSQL rollups', () => {
  it('count rows committed while an older transaction is still open, and rows that name no transaction', async () => {
    const store = await PostgresStore.open(URL, { schema });
    const other = new pg.Client({ connectionString: withDefaultUser(URL) });
    await other.connect();
    try {
      const rows = spreadRows(300, 11);
      await store.append(rows.slice(0, 100));
      expect((await store.summary({})).events).toBe(100);
      // An open transaction holds the horizon back: what commits after it cannot be folded yet, and is read instead.
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      await store.append(rows.slice(100, 200));
      expect((await store.summary({})).events).toBe(200);
      expect((await store.sessions({}, 100)).reduce((n, s) => n + s.events, 0)).toBe(
        rows.slice(0, 200).filter((r) => r.session !== null).length,
      );
      // Sessions with rows on both sides of the horizon count once per source.
      expect(await store.outboundByOrigin({}, 50)).toEqual(expected(rows.slice(0, 200), {}).byOrigin);
      await other.query('COMMIT');
      await store.append(rows.slice(200));
      expect((await store.summary({})).events).toBe(300);
      await admin.query(`INSERT INTO ${schema}.events SELECT gen_random_uuid(), ts, eventid, session, sensor, src_ip, src_port, dst_ip, dst_port, orig_ip,
        orig_port, username, password, input, url, shasum, duration_ms, payload_kind, http_method, http_host, http_path, http_headers, smtp_ehlo,
        tls_sni, raw, NULL FROM ${schema}.events LIMIT 10`);
      expect((await store.summary({})).events).toBe(310);
      expect((await store.summary({})).events).toBe(310);
    } finally {
      await other.end();
      await store.close();
    }
  });
});
