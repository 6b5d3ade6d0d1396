import { cidrBreadthError, type IntelItem } from '../indicator.js';
import type { ExportReport } from './exporter.js';

/**
 * The IP and CIDR items of a batch of an export, each counted as written; a value that is
 * not plainly an address, or a CIDR too broad to block (neither can pass import, but an
 * export file must never carry one), is rejected and reported instead.
 */
export function* addressItems(items: readonly IntelItem[], report: ExportReport): Generator<IntelItem> {
  for (const item of items) {
    if (item.type !== 'ipv4' && item.type !== 'ipv6' && item.type !== 'cidr') continue;
    if (!/^[0-9a-f.:/]+$/.test(item.indicator)) {
      report.rejected.push({ indicator: item.indicator, type: item.type, reason: 'expected an IP address or CIDR' });
      continue;
    }
    const broad = cidrBreadthError(item.indicator);
    if (broad !== undefined) {
      report.rejected.push({ indicator: item.indicator, type: item.type, reason: broad });
      continue;
    }
    report.written += 1;
    yield item;
  }
}
