import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/schema.js';
import type { IntelStore } from '../../intel/intel-store.js';
import { openDuckDbIntelStore } from './duckdb-intel-store.js';
import { openPostgresIntelStore } from './postgres-intel-store.js';

/** The intel store the config names: PostgreSQL when store.url is set, else DATA/honeyscope.duckdb. */
export async function openIntelStore(config: Pick<ResolvedConfig, 'core' | 'store'>): Promise<IntelStore> {
  if (config.store.url !== '') return openPostgresIntelStore(config.store.url);
  await mkdir(config.core.dataDir, { recursive: true });
  return openDuckDbIntelStore(join(config.core.dataDir, 'honeyscope.duckdb'));
}
