import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/schema.js';
import { HoneyscopeError } from '../../lib/errors.js';
import type { IntelStore } from '../../intel/intel-store.js';
import { openDuckDbIntelStore } from './duckdb-intel-store.js';
import { openPostgresIntelStore } from './postgres-intel-store.js';

/** The intel store the config names: PostgreSQL when store.url is set, else DATA/honeyscope.duckdb. */
export async function openIntelStore(config: Pick<ResolvedConfig, 'core' | 'store'>): Promise<IntelStore> {
  if (config.store.url !== '') return openPostgresIntelStore(config.store.url);
  const dir = config.core.dataDir;
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it (or a parent) is a file' : (code ?? (err as Error).message);
    throw new HoneyscopeError('HS_IO', `Cannot use data directory "${dir}": ${why}, expected a directory`, { cause: err });
  }
  return openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
}
