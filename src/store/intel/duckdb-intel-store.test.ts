import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIntelStoreContract } from './intel-store.case.test.js';
import { openDuckDbIntelStore } from './duckdb-intel-store.js';

runIntelStoreContract('DuckDB', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hs-intel-duck-'));
  const store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});
