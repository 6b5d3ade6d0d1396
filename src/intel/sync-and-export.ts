import { basename } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { BadIndicator } from './bad-indicator.js';
import { exportIntel, type ExportResult } from './export-intel.js';
import type { ExportFormat } from './exporters/exporter.js';
import type { IntelStore } from './intel-store.js';
import { readIntelFile } from './sources/files.js';
import { syncHoneypot, type ReadHoneypotEvents } from './sources/honeypot.js';
import { syncOtx, type OtxClientOptions, type OtxSyncResult } from './sources/otx.js';
import { createWhitelist } from './whitelist.js';

export interface SyncAndExportOptions {
  store: IntelStore;
  /** The sensor's events for the honeypot source; without it that source is left as it is. */
  readEvents?: ReadHoneypotEvents;
  logger?: Logger;
  now?: () => number;
  /** Client tuning (retries, backoff, sleep) on top of the config. */
  otx?: Partial<OtxClientOptions>;
}

export interface SyncAndExportReport {
  otx?: OtxSyncResult;
  feeds: Array<{ path: string; source: string; records: number }>;
  honeypot?: { records: number };
  bad: BadIndicator[];
  exports: ExportResult[];
}

/**
 * One scheduled round: sync OTX, import the configured feeds, refresh the
 * honeypot's own indicators, then write every configured export. Any failure
 * before the exports throws, so files written by earlier rounds stay as they were.
 */
export async function syncAndExport(config: Pick<ResolvedConfig, 'intel'>, options: SyncAndExportOptions): Promise<SyncAndExportReport> {
  const intel = config.intel;
  const now = options.now ?? Date.now;
  const { store, logger } = options;
  const whitelist = createWhitelist(intel.whitelist);
  const report: SyncAndExportReport = { feeds: [], bad: [], exports: [] };
  if (intel.otxKey !== '') {
    report.otx = await syncOtx(store, {
      apiKey: intel.otxKey,
      baseUrl: intel.otxBaseUrl,
      limit: intel.otx.pageSize,
      filters: intel.otx,
      now,
      ...(logger ? { logger } : {}),
      ...options.otx,
    });
    report.bad.push(...report.otx.bad);
  }
  for (const feed of intel.feeds) {
    const source = feed.source ?? `file:${basename(feed.path)}`;
    const records = await store.replaceSource(source, readIntelFile(feed.path, { source, bad: report.bad, now: now() }));
    report.feeds.push({ path: feed.path, source, records });
  }
  if (options.readEvents && intel.honeypot.enabled) {
    const result = await syncHoneypot(store, options.readEvents, {
      now: now(),
      minAttempts: intel.honeypot.minAttempts,
      maxAgeMs: intel.honeypot.maxAgeDays * 86_400_000,
    });
    report.honeypot = { records: result.records };
    report.bad.push(...result.bad);
  }
  for (const bad of report.bad) logger?.warn({ source: bad.source, location: bad.location, value: bad.value }, bad.reason);
  for (const target of intel.exports) {
    const result = await exportIntel(store, {
      format: target.format as ExportFormat,
      path: target.path,
      whitelist,
      policy: target.policy,
      zone: target.zone,
      ipTriggers: target.ipTriggers,
      ...(target.sources ? { sources: target.sources } : {}),
      now: now(),
    });
    logger?.info({ format: result.format, path: result.path, written: result.written, rejected: result.rejected.length, suppressed: result.suppressed.length }, 'intel export written');
    report.exports.push(result);
  }
  return report;
}
