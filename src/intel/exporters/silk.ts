import { addressItems } from './address-items.js';
import { ChunkBuffer, oneLine, sourceNames, type ExportReport, type ItemSource } from './exporter.js';

export interface SilkOptions {
  report: ExportReport;
  /** First comment line (e.g. the time of the export). */
  title?: string;
}

/**
 * An `rwsetbuild` input list: one IP or CIDR per line with a `#` comment naming
 * its sources, so `rwsetbuild list.txt bad.set` + `rwfilter --sipset=bad.set` works unchanged.
 */
export async function* renderSilk(items: ItemSource, options: SilkOptions): AsyncGenerator<string> {
  const out = new ChunkBuffer();
  yield `# ${oneLine(options.title ?? 'honeyscope intel: IP addresses and CIDRs for rwsetbuild')}\n`;
  for await (const batch of items) {
    for (const item of addressItems(batch, options.report)) {
      const names = item.meta.length === 1 ? item.meta[0]!.source : sourceNames(item.meta).join(', ');
      const chunk = out.push(`${item.indicator} # ${oneLine(names)}\n`);
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
}
