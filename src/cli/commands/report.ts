import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { atomicWrite } from '../../lib/atomic-write.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { parseIsoTime } from '../../lib/parse-iso-time.js';
import { buildReport } from '../../analysis/build-report.js';
import { loadOutboundRules } from '../../analysis/outbound-rules.js';
import { parseTimeBound } from '../../analysis/parse-time-bound.js';
import { renderReportHtml } from '../../analysis/render-report-html.js';
import { renderReportText } from '../../analysis/render-report-text.js';
import { DUCKDB_FILE, openStore } from '../../store/open-store.js';
import type { EventFilter } from '../../store/store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { endQuietlyOnEpipe } from '../end-quietly-on-epipe.js';

interface ReportCommandOptions extends CommonOptions {
  since?: string;
  until?: string;
  sensor?: string;
  json?: boolean;
  html?: string;
  rules?: string;
  limit?: string;
  day?: string;
}

export function registerReport(program: Command): void {
  withCommonOptions(
    program
      .command('report')
      .description('what the bots tried: outbound attempts, EHLO greetings, HTTP requests, TLS names, credentials, commands')
      .option('--since <time>', 'from this time (ISO date/time, or 24h, 7d ... before now)')
      .option('--until <time>', 'up to this time, exclusive')
      .option('--sensor <name>', 'only events of this sensor')
      .option('--json', 'print the report as JSON')
      .option('--html <file>', 'also write a self-contained HTML report with charts')
      .option('--rules <file>', 'outbound classification rules (YAML); default analysis.rulesPath, else the shipped rules')
      .option('--limit <n>', 'rows per table', '50')
      .option('--day <YYYY-MM-DD>', 'day of the link graph (default: the day with most attempts)'),
    { store: true },
  ).action(async (opts: ReportCommandOptions) => {
    const config = resolveConfig(opts);
    endQuietlyOnEpipe();
    const filter: EventFilter = {
      ...(opts.since !== undefined ? { sinceUs: timeOption('--since', opts.since) } : {}),
      ...(opts.until !== undefined ? { untilUs: timeOption('--until', opts.until) } : {}),
      ...(opts.sensor !== undefined ? { sensor: opts.sensor } : {}),
    };
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new HoneyscopeError('HS_USAGE', `Invalid --limit "${opts.limit ?? ''}": expected a whole number above 0`);
    if (opts.day !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(opts.day) || parseIsoTime(opts.day) === undefined)) {
      throw new HoneyscopeError('HS_USAGE', `Invalid --day "${opts.day}": expected a day as YYYY-MM-DD`);
    }
    if (filter.sinceUs !== undefined && filter.untilUs !== undefined && filter.sinceUs >= filter.untilUs) {
      throw new HoneyscopeError('HS_USAGE', `Invalid --since "${opts.since}": it is not before --until "${opts.until}"`);
    }
    // Reading a mistyped directory must not create an empty store there and report nothing.
    const storeFile = join(config.core.dataDir, DUCKDB_FILE);
    if (config.store.url === '' && !existsSync(storeFile)) {
      throw new HoneyscopeError('HS_STORE', `No store in "${config.core.dataDir}": expected ${storeFile} (honeyscope ingest or honeyscope run make it), or --store postgres://...`);
    }
    const rulesPath = opts.rules ?? config.analysis.rulesPath;
    const rules = await loadOutboundRules(rulesPath === '' ? undefined : rulesPath);
    const store = await openStore(config);
    try {
      const report = await buildReport(store, { filter, rules, limit, ...(opts.day ? { linkDay: opts.day } : {}) });
      if (opts.html !== undefined) await atomicWrite(opts.html, renderReportHtml(report));
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReportText(report));
    } finally {
      await store.close();
    }
  });
}

function timeOption(flag: string, value: string): number {
  try {
    return parseTimeBound(value);
  } catch (err) {
    if (err instanceof SyntaxError) throw new HoneyscopeError('HS_USAGE', `Invalid ${flag}: ${err.message}`, { cause: err });
    throw err;
  }
}
