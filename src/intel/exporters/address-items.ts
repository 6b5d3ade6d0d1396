import type { IntelItem } from '../indicator.js';
import type { ExportReport } from './exporter.js';

/**
 * The IP and CIDR items of a batch of an export, each counted as written; a value that is
 * not plainly an address (it cannot be, after normalisation, but an export file
 * must never carry anything else) is rejected and reported instead.
 */
export function* addressItems(items: readonly IntelItem[], report: ExportReport): Generator<IntelItem> {
  for (const item of items) {
    if (item.type !== 'ipv4' && item.type !== 'ipv6' && item.type !== 'cidr') continue;
    if (!/^[0-9a-f.:/]+$/.test(item.indicator)) {
      report.rejected.push({ indicator: item.indicator, type: item.type, reason: 'expected an IP address or CIDR' });
      continue;
    }
    report.written += 1;
    yield item;
  }
}
