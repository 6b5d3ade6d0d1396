import { csvCell } from '../../lib/csv-cell.js';
import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

export const CSV_COLUMNS = ['indicator', 'type', 'source', 'pulse_id', 'pulse_name', 'author', 'tlp', 'tags', 'first_seen', 'last_seen', 'expires', 'active', 'url', 'description'] as const;

export interface CsvOptions {
  report: ExportReport;
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}

/** CSV with a header, one row per indicator and source; feed text is attacker-written, so formula-like cells are defused. */
export async function* renderCsv(items: ItemSource, options: CsvOptions): AsyncGenerator<string> {
  const out = new ChunkBuffer();
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const batch of items) {
    for (const item of batch) {
      options.report.written += 1;
      for (const m of item.meta) {
        const row = [
          item.indicator, item.type, m.source, m.pulseId, m.pulseName ?? '', m.author ?? '', m.tlp ?? '', (m.tags ?? []).join(';'),
          iso(m.firstSeen), iso(m.lastSeen), iso(m.expires), m.active ? 'true' : 'false', m.url ?? '', m.description ?? '',
        ];
        const chunk = out.push(`${row.map(csvCell).join(',')}\r\n`);
        if (chunk) yield chunk;
      }
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
}
