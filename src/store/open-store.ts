import { join } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store } from './store.js';

/** The embedded store's file name inside the data directory. */
export const DUCKDB_FILE = 'honeyscope.duckdb';

/** Opens the configured store: PostgreSQL when `store.url` is set, else DATA/honeyscope.duckdb. */
export async function openStore(config: Pick<ResolvedConfig, 'core' | 'store'>): Promise<Store> {
  if (config.store.url !== '') return PostgresStore.open(config.store.url);
  return DuckDbStore.open(join(config.core.dataDir, DUCKDB_FILE));
}
