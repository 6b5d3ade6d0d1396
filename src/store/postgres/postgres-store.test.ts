import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runStoreContract } from '../store.case.test.js';
import { PostgresStore, withDefaultUser } from './postgres-store.js';

/** The running server (scripts/services.sh); each test gets its own schema, dropped afterwards. */
export const TEST_POSTGRES_URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';

let schema = '';
runStoreContract({
  name: 'PostgreSQL',
  async create() {
    schema = `hs_test_${randomBytes(6).toString('hex')}`;
    return PostgresStore.open(TEST_POSTGRES_URL, { schema });
  },
  async cleanup() {
    const client = new pg.Client({ connectionString: withDefaultUser(TEST_POSTGRES_URL) });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  },
});
