import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../store.case.test.js';
import { DuckDbStore } from './duckdb-store.js';

let dir = '';
runStoreContract({
  name: 'DuckDB',
  async create() {
    dir = await mkdtemp(join(tmpdir(), 'hs-duckdb-'));
    return DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
  },
  async cleanup() {
    await rm(dir, { recursive: true, force: true });
  },
});
