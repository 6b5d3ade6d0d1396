import type { Command } from 'commander';
import type { BadIndicator } from '../../intel/bad-indicator.js';
import { formatBadIndicator } from '../../intel/bad-indicator.js';
import { loadIndicatorSet } from '../../intel/match/load-indicator-set.js';
import { formatMalformedLine } from '../../intel/match/malformed-line.js';
import { matchLogs } from '../../intel/match/match-logs.js';
import type { MatchScope } from '../../intel/match/match-record.js';
import { intelJsonLine, intelLogFooter, intelLogHeader, intelLogLine } from '../../intel/match/render-intel-log.js';
import { createWhitelist, type Suppressed } from '../../intel/whitelist.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { openIntelStore } from '../../store/intel/open-intel-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { endQuietlyOnEpipe } from '../end-quietly-on-epipe.js';

interface MatchOptions extends CommonOptions {
  sipset?: boolean;
  dipset?: boolean;
  anyset?: boolean;
  set: string[];
  json?: boolean;
  exactDomains?: boolean;
  stats?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `honeyscope match`: rwfilter --sipset/--dipset/--anyset --pass=stdout over
 * any supported log, printing Zeek intel.log rows. Exit 0 when something
 * matched, 1 when nothing did, 2 on error (as grep).
 */
export function registerMatch(program: Command): void {
  withCommonOptions(
    program
      .command('match')
      .description('print log records that match the indicators as Zeek intel.log rows (exit 0 matched, 1 nothing, 2 error)')
      .argument('<log...>', 'rwcut output, CSV flows, Zeek conn/dns/http/files logs (TSV or JSON), BIND query/RPZ logs, access logs, Cowrie JSON; gzip too'),
    { store: true },
  )
    .option('--sipset', 'match source addresses only')
    .option('--dipset', 'match destination addresses only')
    .option('--anyset', 'match source or destination addresses only (default: addresses, names, URLs and hashes)')
    .option('--set <file>', 'indicators from a SiLK IP list or any intel feed file instead of the store (repeatable)', collect, [])
    .option('--exact-domains', 'domain indicators match the exact name only, as Zeek does')
    .option('--json', 'print JSON lines instead of intel.log TSV')
    .option('--stats', 'print records, matches and malformed lines read to standard error')
    .action(async (logs: string[], opts: MatchOptions) => {
      endQuietlyOnEpipe();
      const scopes = (['sipset', 'dipset', 'anyset'] as const).filter((k) => opts[k]);
      if (scopes.length > 1) throw new HoneyscopeError('HS_USAGE', `Cannot combine --${scopes.join(' and --')}: expected at most one of --sipset, --dipset and --anyset`);
      const scope: MatchScope = scopes[0] === 'sipset' ? 'sip' : scopes[0] === 'dipset' ? 'dip' : scopes[0] === 'anyset' ? 'any' : 'all';
      const config = resolveConfig(opts);
      const bad: BadIndicator[] = [];
      const suppressed: Suppressed[] = [];
      const store = opts.set.length === 0 ? await openIntelStore(config) : undefined;
      let set;
      try {
        set = await loadIndicatorSet({
          files: opts.set,
          ...(store ? { store } : {}),
          bad,
          exactDomains: opts.exactDomains ?? config.alerts.exactDomains,
          whitelist: createWhitelist(config.intel.whitelist),
          suppressed,
        });
      } finally {
        await store?.close();
      }
      for (const b of bad) process.stderr.write(`honeyscope: skipped indicator ${formatBadIndicator(b)}\n`);
      for (const s of suppressed) process.stderr.write(`honeyscope: whitelisted ${s.type} ${s.indicator} (rule ${JSON.stringify(s.rule)})\n`);
      const out = createWriter(process.stdout);
      if (!opts.json) await out(intelLogHeader(new Date()));
      const summary = await matchLogs(logs, set, {
        scope,
        onMatch: (m) => out(opts.json ? intelJsonLine(m) : intelLogLine(m)),
        onMalformed: (b) => process.stderr.write(`honeyscope: malformed line ${formatMalformedLine(b)}\n`),
      });
      if (!opts.json) await out(intelLogFooter(new Date()));
      if (opts.stats || summary.malformed > 0) {
        process.stderr.write(`honeyscope: ${summary.records} records, ${summary.matches} matches, ${summary.malformed} malformed lines\n`);
      }
      process.exitCode = summary.matches > 0 ? 0 : 1;
    });
}

/** A write that waits for the stream to drain, so big outputs do not pile up in memory. */
function createWriter(stream: NodeJS.WritableStream): (text: string) => Promise<void> | undefined {
  return function write(text: string): Promise<void> | undefined {
    if (stream.write(text)) return undefined;
    return new Promise((resolve) => stream.once('drain', () => resolve()));
  };
}
