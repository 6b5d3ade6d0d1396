import { join } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import type { Logger } from '../lib/logger.js';
import { DUCKDB_FILE, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { StoreSink } from '../store/store-sink.js';
import { loadOutboundRules, type OutboundRules } from '../analysis/outbound-rules.js';
import { cachedDashboardData } from './cached-dashboard-data.js';
import { createSqlDashboardData } from './sql-dashboard-data.js';
import { warmDashboard } from './warm-dashboard.js';
import { openDuckDbRunner, openPostgresRunner, type SqlRunner } from './sql/sql-runner.js';
import { startWebServer, type WebServer } from './start-web-server.js';

export interface StartDashboardOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** The store already open in this process (`honeyscope run`); otherwise one is opened and closed here. */
  store?: Store;
  /** The sensor's dispatcher in this process: the live feed follows it instead of polling. */
  dispatcher?: EventDispatcher;
  /** The dashboard's read connection, if already open (see openSqlRunner); closed with the dashboard. */
  sql?: SqlRunner;
  /** Outbound classification rules; by default the shipped rules file. */
  rules?: OutboundRules;
  staticDir?: string;
  feedPollMs?: number;
  /** The sensor's store sink in this process: its new rows refresh the cached answers at once. */
  sink?: StoreSink;
  /** How stale the aggregate answers may get before a background refresh (0: no cache). */
  cacheTtlMs?: number;
}

// Short enough that a fresh simulate shows up on the next reload; heavy answers at 10M events still refresh in the background.
const DEFAULT_CACHE_TTL_MS = 3_000;

/** Opens the dashboard's read connection to the configured store. */
export async function openSqlRunner(config: Pick<ResolvedConfig, 'core' | 'store'>): Promise<SqlRunner> {
  if (config.store.url !== '') return openPostgresRunner(config.store.url);
  return openDuckDbRunner(join(config.core.dataDir, DUCKDB_FILE));
}

/**
 * The whole dashboard: store (given or opened), the dashboard's queries and
 * the web server on `config.web.listen`. What `honeyscope serve` and
 * `honeyscope run` call.
 */
export async function startDashboard(options: StartDashboardOptions): Promise<WebServer> {
  const ownStore = options.store === undefined;
  // The runner first: it holds the DuckDB instance the store then shares (see openDuckDbRunner).
  const sql = options.sql ?? (await openSqlRunner(options.config));
  let store: Store;
  try {
    store = options.store ?? (await openStore(options.config));
  } catch (err) {
    await sql.close();
    throw err;
  }
  try {
    const rules = options.rules ?? (await loadOutboundRules());
    const ttlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    const direct = createSqlDashboardData({ store, sql, rules });
    const sink = options.sink;
    const cache = {
      ttlMs,
      logger: options.logger,
      // DuckDB's file lock keeps other processes out, so this process's rows are the only change.
      ...(sink ? { written: () => sink.taken, flush: () => sink.flush(), onlyWriter: store.kind === 'duckdb' } : {}),
    };
    const data = ttlMs > 0 ? cachedDashboardData(direct, cache) : direct;
    const server = await startWebServer({
      data,
      config: options.config,
      logger: options.logger,
      dispatcher: options.dispatcher,
      ...(options.staticDir ? { staticDir: options.staticDir } : {}),
      ...(options.feedPollMs ? { feedPollMs: options.feedPollMs } : {}),
    });
    // Once listening: a dashboard that cannot start must not leave queries running on a closing store.
    if (ttlMs > 0) void warmDashboard(data, options.logger);
    return {
      url: server.url,
      async close() {
        await server.close();
        await sql.close();
        if (ownStore) await store.close();
      },
    };
  } catch (err) {
    await sql.close();
    if (ownStore) await store.close();
    throw err;
  }
}
