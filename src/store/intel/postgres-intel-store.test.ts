import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runIntelStoreContract } from './intel-store.case.test.js';
import { openPostgresIntelStore } from './postgres-intel-store.js';

const URL = process.env.HONEYSCOPE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

runIntelStoreContract('PostgreSQL', async () => {
  const schema = `intel_test_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresIntelStore(URL, { schema });
  async function cleanup(): Promise<void> {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
  return { store, cleanup };
});
