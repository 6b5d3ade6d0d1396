import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

export interface JsonOptions {
  report: ExportReport;
}

/** A JSON array of items (indicator, type, meta per source), one item per line. */
export async function* renderJson(items: ItemSource, options: JsonOptions): AsyncGenerator<string> {
  const out = new ChunkBuffer();
  let first = true;
  yield '[';
  for await (const batch of items) {
    for (const item of batch) {
      options.report.written += 1;
      const chunk = out.push(`${first ? '\n' : ',\n'}${JSON.stringify(item)}`);
      first = false;
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
  yield first ? ']\n' : '\n]\n';
}
