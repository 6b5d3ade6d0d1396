import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOutboundRules } from '../../analysis/outbound-rules.js';
import { loadConfig } from '../../config/load-config.js';
import type { ResolvedConfig } from '../../config/schema.js';
import { toEventRow } from '../../store/event-row.js';
import { ingestFiles } from '../../store/ingest/ingest-files.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import type { DashboardData } from '../dashboard-data.js';
import { createSqlDashboardData } from '../sql-dashboard-data.js';
import type { SqlRunner } from '../sql/sql-runner.js';
import { openSqlRunner } from '../start-dashboard.js';

/** The real 2018 Cowrie days the dashboard tests show. */
export const KAREIVA_2018 = '/work/shared/fixtures/cowrie/kareiva-2018/';

export interface FixtureStore {
  dir: string;
  config: ResolvedConfig;
  store: Store;
  sql: SqlRunner;
  data: DashboardData;
  /** Stores more events (as the sensor would write them). */
  add(events: readonly Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A temp data dir with the embedded DuckDB store holding the real fixture days
 * (through the store's own ingest) plus any extra events.
 */
export async function openFixtureStore(options: { ingest?: readonly string[]; web?: Record<string, unknown> } = {}): Promise<FixtureStore> {
  const dir = await mkdtemp(join(tmpdir(), 'honeyscope-web-'));
  const config = loadConfig({ overrides: { core: { dataDir: dir }, web: { listen: '127.0.0.1:0', ...options.web } } });
  const sql = await openSqlRunner(config);
  const store = await openStore(config);
  await ingestFiles(store, options.ingest ?? [KAREIVA_2018]);
  return {
    dir,
    config,
    store,
    sql,
    data: createSqlDashboardData({ store, sql, rules: await loadOutboundRules() }),
    async add(events) {
      await store.append(events.map((e) => toEventRow(e, JSON.stringify(e))));
    },
    async close() {
      await sql.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
