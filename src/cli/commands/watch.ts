import { join } from 'node:path';
import type { Command } from 'commander';
import { AlertDispatcher } from '../../alerts/alert-dispatcher.js';
import { AlertEngine } from '../../alerts/alert-engine.js';
import { alertLogPath, createAlertSinks } from '../../alerts/create-alert-sinks.js';
import { createConsoleAlertSink } from '../../alerts/console-alert-sink.js';
import { loadAlertRules } from '../../alerts/load-alert-rules.js';
import { watchLogs } from '../../alerts/watch-logs.js';
import type { BadIndicator } from '../../intel/bad-indicator.js';
import { formatBadIndicator } from '../../intel/bad-indicator.js';
import { loadIndicatorSet } from '../../intel/match/load-indicator-set.js';
import { formatMalformedLine } from '../../intel/match/malformed-line.js';
import { createWhitelist, type Suppressed } from '../../intel/whitelist.js';
import { createLogger } from '../../lib/logger.js';
import { openIntelStore } from '../../store/intel/open-intel-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { endQuietlyOnEpipe } from '../end-quietly-on-epipe.js';

interface WatchOptions extends CommonOptions {
  set: string[];
  rules: string[];
  console?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `honeyscope watch`: follows growing logs like tail -F, matches each new
 * record, raises alerts to the configured sinks, and keeps its positions in
 * DATA/state/watch.json so a restart does not alert twice. Stops on SIGINT/SIGTERM.
 */
export function registerWatch(program: Command): void {
  withCommonOptions(
    program
      .command('watch')
      .description('follow logs (rotation and truncation handled), match new records and raise alerts')
      .argument('<log...>', 'logs to follow (any format honeyscope match reads, uncompressed)'),
    { store: true },
  )
    .option('--set <file>', 'indicators from a SiLK IP list or any intel feed file instead of the store (repeatable)', collect, [])
    .option('--rules <file>', 'YAML alert rules, added to alerts.rules (repeatable)', collect, [])
    .option('--console', 'also print alerts to standard output')
    .action(async (logs: string[], opts: WatchOptions) => {
      const config = resolveConfig(opts);
      const logger = createLogger({ level: config.core.logLevel });
      const bad: BadIndicator[] = [];
      const suppressed: Suppressed[] = [];
      const store = opts.set.length === 0 ? await openIntelStore(config) : undefined;
      let set;
      try {
        set = await loadIndicatorSet({
          files: opts.set,
          ...(store ? { store } : {}),
          bad,
          exactDomains: config.alerts.exactDomains,
          whitelist: createWhitelist(config.intel.whitelist),
          suppressed,
        });
      } finally {
        await store?.close();
      }
      for (const b of bad) logger.warn({ indicator: formatBadIndicator(b) }, 'skipped indicator');
      for (const s of suppressed) logger.info({ type: s.type, indicator: s.indicator, rule: s.rule }, 'whitelisted indicator left out');
      const rules = await loadAlertRules([...config.alerts.rules, ...opts.rules], { builtin: config.alerts.builtin });
      const sinks = createAlertSinks(config);
      if (opts.console && !config.alerts.sinks.console.enabled) sinks.push(createConsoleAlertSink());
      const dispatcher = new AlertDispatcher(sinks, { retry: config.alerts.retry, queueLimit: config.alerts.queueLimit, logger });
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      // With --console piped into a reader that has gone: stop as on SIGTERM, so positions are saved.
      endQuietlyOnEpipe(process.stdout, stop);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      logger.info({ logs, rules: rules.length, sinks: sinks.map((s) => s.name), alertLog: config.alerts.sinks.jsonl.enabled ? alertLogPath(config) : undefined }, 'watching');
      try {
        const summary = await watchLogs(logs, {
          set,
          engine: new AlertEngine(rules),
          dispatcher,
          statePath: join(config.core.dataDir, 'state', 'watch.json'),
          pollMs: config.alerts.pollMs,
          signal: controller.signal,
          onMalformed: (b) => logger.warn({ line: formatMalformedLine(b) }, 'malformed line skipped'),
          logger,
        });
        logger.info({ ...summary, sinks: dispatcher.stats() }, 'stopped watching');
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await dispatcher.close();
      }
    });
}
