import { basename } from 'node:path';
import type { Command } from 'commander';
import type { ResolvedConfig } from '../../config/schema.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { formatBadIndicator, type BadIndicator } from '../../intel/bad-indicator.js';
import { exportIntel } from '../../intel/export-intel.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../intel/exporters/exporter.js';
import type { IntelItem } from '../../intel/indicator.js';
import type { IntelStore } from '../../intel/intel-store.js';
import { lookupIndicator, type LookupHit } from '../../intel/lookup-indicator.js';
import { readIntelFile } from '../../intel/sources/files.js';
import { syncAndExport } from '../../intel/sync-and-export.js';
import { createWhitelist } from '../../intel/whitelist.js';
import { openIntelStore } from '../../store/intel/open-intel-store.js';
import { openStore } from '../../store/open-store.js';
import { honeypotEventsFromStore } from '../../intel/sources/honeypot-store-events.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { endQuietlyOnEpipe } from '../end-quietly-on-epipe.js';

async function withStore<T>(opts: CommonOptions, work: (store: IntelStore, config: ResolvedConfig) => Promise<T>): Promise<T> {
  const config = resolveConfig(opts);
  const store = await openIntelStore(config);
  try {
    return await work(store, config);
  } finally {
    await store.close();
  }
}

function printBad(bad: readonly BadIndicator[]): void {
  for (const b of bad) process.stderr.write(`honeyscope: skipped ${formatBadIndicator(b)}\n`);
}

const VIA: Record<LookupHit['relation'], (value: string) => string> = {
  exact: () => '',
  parent: (value) => ` (listed parent of ${value})`,
  cidr: (value) => ` (contains ${value})`,
};

/** One line per source listing an item: source, pulse name, author, link. */
export function formatLookup(items: readonly IntelItem[], via = ''): string {
  const lines: string[] = [];
  for (const item of items) {
    lines.push(`${item.type} ${item.indicator}${via}`);
    for (const m of item.meta) {
      const parts = [`  ${m.source}`];
      if (m.pulseId) parts.push(`pulse ${m.pulseId}`);
      if (m.pulseName) parts.push(JSON.stringify(m.pulseName));
      if (m.author) parts.push(`by ${m.author}`);
      if (m.tlp) parts.push(`TLP:${m.tlp.toUpperCase()}`);
      if (m.url) parts.push(m.url);
      if (!m.active) parts.push('(inactive)');
      if (m.expires !== undefined) parts.push(`expires ${new Date(m.expires).toISOString()}`);
      lines.push(parts.join(' '));
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function registerIntel(program: Command): void {
  const intel = program.command('intel').description('threat intelligence: OTX and feeds in; RPZ, SiLK, Zeek, nftables, ipset, hosts, STIX, CSV, JSON out');
  intel.hook('preAction', () => endQuietlyOnEpipe());

  withCommonOptions(intel.command('sync').description('sync OTX, import configured feeds, then write every configured export'), { store: true })
    .option('--json', 'print the report as JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      await withStore(opts, async (store, config) => {
        const logger = createLogger({ level: config.core.logLevel });
        const events = config.intel.honeypot.enabled ? await openStore(config) : undefined;
        let report: Awaited<ReturnType<typeof syncAndExport>>;
        try {
          report = await syncAndExport(config, { store, logger, ...(events ? { readEvents: honeypotEventsFromStore(events) } : {}) });
        } finally {
          await events?.close();
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        printBad(report.bad);
        if (report.otx) process.stdout.write(`otx: ${report.otx.pulses} pulses, ${report.otx.records} indicators, ${report.otx.removedPulses} pulses dropped\n`);
        for (const f of report.feeds) process.stdout.write(`${f.source}: ${f.records} indicators from ${f.path}\n`);
        for (const e of report.exports) {
          process.stdout.write(`${e.format} ${e.path}: ${e.written} written, ${e.suppressed.length} whitelisted, ${e.rejected.length} rejected\n`);
        }
      });
    });

  withCommonOptions(intel.command('import').description('import feed files or MISP feed directories (format detected by content)').argument('<file...>'), { store: true })
    .option('--source <name>', 'source name (default file:<basename>); a re-import replaces that source')
    .option('--allow-empty', 'import a file that yields no indicator, emptying its source (refused by default)')
    .action(async (files: string[], opts: CommonOptions & { source?: string; allowEmpty?: boolean }) => {
      await withStore(opts, async (store) => {
        for (const file of files) {
          const bad: BadIndicator[] = [];
          const source = opts.source ?? `file:${basename(file)}`;
          const records = readIntelFile(file, { source, bad, now: Date.now(), allowEmpty: opts.allowEmpty ?? false });
          let count: number;
          try {
            count = await store.replaceSource(source, records);
          } finally {
            // The lines skipped explain why a feed yielded nothing, so they are printed before that error too.
            printBad(bad);
          }
          process.stdout.write(`${source}: ${count} indicators from ${file}, ${bad.length} lines skipped\n`);
        }
      });
    });

  withCommonOptions(intel.command('export').description('write one export of the active indicators, minus the whitelist'), { store: true })
    .requiredOption('-f, --format <format>', EXPORT_FORMATS.join('|'))
    .option('-o, --out <file>', 'file to replace atomically (default: standard output)')
    .option('--policy <policy>', 'RPZ policy: nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4, aaaa:IPV6')
    .option('--zone <name>', 'RPZ zone name', 'rpz.local')
    .option('--ip-triggers', 'RPZ: also write rpz-ip triggers for addresses')
    .option('--source <name...>', 'only indicators of these sources (stix: only the honeypot\'s own unless given, since feeds and OTX are others\' to share)')
    .action(async (opts: CommonOptions & { format: string; out?: string; policy?: string; zone: string; ipTriggers?: boolean; source?: string[] }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new HoneyscopeError('HS_USAGE', `Invalid --format "${opts.format}": expected one of ${EXPORT_FORMATS.join(', ')}`);
      }
      await withStore(opts, async (store, config) => {
        const result = await exportIntel(store, {
          format: opts.format as ExportFormat,
          ...(opts.out ? { path: opts.out } : {}),
          whitelist: config.intel.whitelist,
          ...(opts.policy ? { policy: opts.policy } : {}),
          zone: opts.zone,
          ipTriggers: opts.ipTriggers ?? false,
          ...(opts.source ? { sources: opts.source, requireSources: true } : {}),
        });
        for (const s of result.suppressed) process.stderr.write(`honeyscope: whitelisted ${s.type} ${s.indicator} (rule ${JSON.stringify(s.rule)})\n`);
        for (const r of result.rejected) process.stderr.write(`honeyscope: rejected ${r.type} ${JSON.stringify(r.indicator)}: ${r.reason}\n`);
        if (opts.out) process.stderr.write(`honeyscope: ${result.written} indicators written to ${opts.out}${result.serial !== undefined ? ` (serial ${result.serial})` : ''}\n`);
      });
    });

  withCommonOptions(intel.command('lookup').description('which sources and pulses list a value (and a listed parent name or containing CIDR)').argument('<value>'), { store: true })
    .option('--json', 'print the items as JSON')
    .action(async (value: string, opts: CommonOptions & { json?: boolean }) => {
      await withStore(opts, async (store, config) => {
        const result = await lookupIndicator(store, value);
        if (opts.json) {
          const items = result.hits.flatMap((h) => h.items);
          process.stdout.write(`${JSON.stringify(items)}\n`);
          // The same exit status as the text form: scripts test it either way.
          if (items.length === 0) process.exitCode = 1;
          return;
        }
        const rule = result.type ? createWhitelist(config.intel.whitelist).match({ indicator: result.value, type: result.type }) : undefined;
        if (rule !== undefined) process.stdout.write(`${result.value}: whitelisted (rule ${JSON.stringify(rule)}), so no export or match lists it\n`);
        const text = result.hits.map((h) => formatLookup(h.items, VIA[h.relation](result.value))).join('');
        if (text === '') {
          process.stdout.write(`${result.value}: not listed\n`);
          process.exitCode = 1;
        } else {
          process.stdout.write(text);
        }
      });
    });

  withCommonOptions(intel.command('stats').description('indicators per type and source'), { store: true })
    .option('--json', 'print as JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      await withStore(opts, async (store) => {
        const stats = await store.stats();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(stats)}\n`);
          return;
        }
        process.stdout.write(`${stats.total} indicators\n`);
        for (const [k, v] of Object.entries(stats.byType)) process.stdout.write(`  type ${k}: ${v}\n`);
        for (const [k, v] of Object.entries(stats.bySource)) process.stdout.write(`  source ${k}: ${v}\n`);
      });
    });
}
