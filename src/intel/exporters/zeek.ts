import type { IndicatorType, IntelMeta } from '../indicator.js';
import { ChunkBuffer, oneLine, type ExportReport, type ItemSource } from './exporter.js';

export const ZEEK_HEADER = '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n';

/** OTX types as hosom/bro-otx maps them, plus CIDR to Intel::SUBNET. */
export const ZEEK_TYPES: Record<IndicatorType, string> = {
  ipv4: 'Intel::ADDR',
  ipv6: 'Intel::ADDR',
  cidr: 'Intel::SUBNET',
  domain: 'Intel::DOMAIN',
  hostname: 'Intel::DOMAIN',
  url: 'Intel::URL',
  md5: 'Intel::FILE_HASH',
  sha1: 'Intel::FILE_HASH',
  sha256: 'Intel::FILE_HASH',
  email: 'Intel::EMAIL',
};

export interface ZeekOptions {
  report: ExportReport;
}

/** A field value: no tab or newline can split it, empty becomes Zeek's unset `-`. */
function field(value: string | undefined): string {
  if (value === undefined || value === '') return '-';
  const text = oneLine(value).trim();
  return text === '' ? '-' : text;
}

/** `meta.source` as bro-otx writes it for OTX pulses; the source name otherwise. */
export function zeekSource(meta: IntelMeta): string {
  if (meta.source === 'otx' && meta.pulseId) {
    return `AlienVault OTXv2 - ${meta.pulseName ?? ''} ID: ${meta.pulseId} Author: ${meta.author ?? ''}`;
  }
  return meta.pulseName ? `${meta.source} - ${meta.pulseName}` : meta.source;
}

/** Whether two metadata give the same meta.source, meta.desc and meta.url. */
function sameText(a: IntelMeta, b: IntelMeta | undefined): boolean {
  return b !== undefined && a.source === b.source && a.pulseId === b.pulseId && a.pulseName === b.pulseName && a.author === b.author && a.description === b.description && a.url === b.url;
}

/**
 * A Zeek intel input file (Intel::read_files): the `#fields` header, then one
 * line per indicator and source, since Zeek keeps metadata per source too.
 * URLs lose their scheme, as Intel::URL expects.
 */
export async function* renderZeek(items: ItemSource, options: ZeekOptions): AsyncGenerator<string> {
  const out = new ChunkBuffer();
  // The metadata columns of the last line, reused while they stay the same (most lines of a feed).
  let tail = '';
  let tailOf: IntelMeta | undefined;
  yield ZEEK_HEADER;
  for await (const batch of items) {
    for (const item of batch) {
      const indicator = item.type === 'url' ? item.indicator.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : item.indicator;
      if (/[\s]/.test(indicator) || indicator === '' || indicator === '-') {
        options.report.rejected.push({ indicator: item.indicator, type: item.type, reason: 'expected no whitespace in a Zeek indicator' });
        continue;
      }
      options.report.written += 1;
      let previous = '';
      for (const meta of item.meta) {
        if (!sameText(meta, tailOf)) {
          tail = `${field(zeekSource(meta))}\t${field(meta.description)}\t${field(meta.url)}\n`;
          tailOf = meta;
        }
        const line = `${indicator}\t${ZEEK_TYPES[item.type]}\t${tail}`;
        // Metadata is sorted by source, so identical lines (same source, other pulse ids) are adjacent.
        if (line === previous) continue;
        previous = line;
        const chunk = out.push(line);
        if (chunk) yield chunk;
      }
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
}
