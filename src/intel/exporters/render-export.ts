import type { Whitelist } from '../whitelist.js';
import type { ExportFormat, ExportReport, ItemSource } from './exporter.js';
import { renderCsv } from './csv.js';
import { renderHosts } from './hosts.js';
import { renderIpset } from './ipset.js';
import { renderJson } from './json.js';
import { renderNft } from './nft.js';
import { renderRpz, type RpzPolicy } from './rpz.js';
import { renderSilk } from './silk.js';
import { renderStix } from './stix.js';
import { renderZeek } from './zeek.js';

export interface RenderExportOptions {
  report: ExportReport;
  now: number;
  /** RPZ only. */
  serial?: number;
  policy?: RpzPolicy;
  zone?: string;
  ipTriggers?: boolean;
  whitelist?: Whitelist;
  /** STIX only: sources whose indicators are shared. */
  sources?: readonly string[];
}

/** Dispatches to the exporter of a format; items must already be whitelisted and ordered. */
export function renderExport(format: ExportFormat, items: ItemSource, options: RenderExportOptions): AsyncGenerator<string> {
  const { report } = options;
  switch (format) {
    case 'rpz':
      return renderRpz(items, {
        report,
        serial: options.serial ?? Math.floor(options.now / 1000),
        policy: options.policy,
        zone: options.zone,
        ipTriggers: options.ipTriggers,
        passthru: options.whitelist?.domains,
      });
    case 'silk':
      return renderSilk(items, { report, title: `honeyscope intel export ${new Date(options.now).toISOString()}` });
    case 'zeek':
      return renderZeek(items, { report });
    case 'nft':
      return renderNft(items, { report });
    case 'ipset':
      return renderIpset(items, { report });
    case 'hosts':
      return renderHosts(items, { report });
    case 'stix':
      return renderStix(items, { report, now: options.now, sources: options.sources });
    case 'csv':
      return renderCsv(items, { report });
    case 'json':
      return renderJson(items, { report });
  }
}
