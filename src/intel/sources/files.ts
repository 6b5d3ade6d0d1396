import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import { parseIndicator, type IntelMeta, type IntelRecord } from '../indicator.js';
import { csvColumns, detectLineFormat, parseHostsLine, parseListLine, parseZeekLine, splitCsvLine, type FeedFormat, type LineFormat, type ParsedValue } from './feed-line.js';
import { mispEventToRecords } from './misp-event.js';
import { stixBundleToRecords } from './stix-bundle.js';

export interface ReadIntelFileOptions {
  /** Source name for the metadata; `file:<basename>` by default. */
  source?: string;
  /** Collects skipped lines with their file and line number. */
  bad: BadIndicator[];
  now?: number;
}

const HEAD_BYTES = 8192;

/** The format of a feed file or directory, from its content (a MISP feed is a directory with manifest.json). */
export async function detectFeedFormat(path: string): Promise<FeedFormat> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read feed "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (isDirectory) {
    const entries = await readdir(path);
    if (entries.includes('manifest.json')) return 'misp-feed';
    throw new HoneyscopeError('HS_INTEL', `Cannot read feed directory "${path}": expected a MISP feed with manifest.json`);
  }
  const fh = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await fh.close();
  }
  const trimmed = head.trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !/^\{[^\n]*\}\s*\n\s*\{/.test(trimmed))) {
    if (/"type"\s*:\s*"bundle"/.test(head)) return 'stix';
    if (/^\{\s*"Event"\s*:/.test(trimmed)) return 'misp-event';
    if (trimmed.startsWith('{') && !trimmed.includes('\n')) return 'ndjson';
  }
  try {
    return detectLineFormat(head, path);
  } catch (err) {
    if (err instanceof SyntaxError) throw new HoneyscopeError('HS_INTEL', err.message, { cause: err });
    throw err;
  }
}

/**
 * Reads one feed (file or MISP directory) as records, detecting its format by
 * content. Line formats stream; a bad line is added to `bad` with its file
 * and line number and skipped, and nothing else is lost.
 */
export async function* readIntelFile(path: string, options: ReadIntelFileOptions): AsyncGenerator<IntelRecord> {
  const format = await detectFeedFormat(path);
  const source = options.source ?? `file:${basename(path)}`;
  const base: IntelMeta = { source, pulseId: '', active: true, firstSeen: options.now, lastSeen: options.now };
  switch (format) {
    case 'stix':
      yield* stixBundleToRecords(await readJson(path), { source, file: path, bad: options.bad });
      return;
    case 'misp-event':
      yield* mispEventToRecords(await readJson(path), { source, file: path, bad: options.bad });
      return;
    case 'misp-feed': {
      const manifest = (await readJson(join(path, 'manifest.json'))) as Record<string, unknown>;
      for (const uuid of Object.keys(manifest).sort()) {
        if (!/^[0-9a-f-]{36}$/i.test(uuid)) {
          options.bad.push({ source, location: `${join(path, 'manifest.json')}`, value: uuid, reason: `Invalid MISP event uuid ${JSON.stringify(uuid)}` });
          continue;
        }
        const file = join(path, `${uuid}.json`);
        yield* mispEventToRecords(await readJson(file), { source, file, bad: options.bad });
      }
      return;
    }
    default:
      yield* readLines(path, format, base, options.bad);
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new HoneyscopeError('HS_INTEL', `Cannot parse JSON feed "${path}": ${(err as Error).message}`, { cause: err });
  }
}

async function* readLines(path: string, format: LineFormat, base: IntelMeta, bad: BadIndicator[]): AsyncGenerator<IntelRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  let zeekFields: string[] | undefined;
  let csv: { value: number; description: number } | undefined;
  let csvHeaderSeen = false;
  for await (const rawLine of lines) {
    number += 1;
    const line = number === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    try {
      let values: Array<ParsedValue & { source?: string | undefined; url?: string | undefined }> = [];
      switch (format) {
        case 'zeek':
          if (trimmed.startsWith('#fields\t')) zeekFields = trimmed.split('\t').slice(1);
          else if (trimmed.startsWith('#')) continue;
          else if (!zeekFields) throw new SyntaxError('Expected a #fields header before the first indicator');
          else values = [parseZeekLine(line, zeekFields)];
          break;
        case 'hosts':
          if (trimmed.startsWith('#')) continue;
          values = parseHostsLine(trimmed);
          break;
        case 'csv': {
          if (trimmed.startsWith('#')) continue;
          const cells = splitCsvLine(trimmed);
          if (!csvHeaderSeen) {
            csvHeaderSeen = true;
            csv = csvColumns(cells);
            if (csv) continue;
            csv = { value: cells.findIndex((c) => safeParse(c) !== undefined), description: -1 };
            if (csv.value === -1) throw new SyntaxError(`Cannot find an indicator column in CSV line ${JSON.stringify(trimmed)}`);
          }
          const cols = csv!;
          values = [{ ...parseIndicator(cells[cols.value] ?? ''), description: cols.description === -1 ? undefined : cells[cols.description] || undefined }];
          break;
        }
        case 'ndjson': {
          const doc = JSON.parse(trimmed) as Record<string, unknown>;
          if (doc.type === 'metadata') continue;
          const value = doc.cidr ?? doc.ip ?? doc.indicator ?? doc.value ?? doc.domain ?? doc.url;
          if (typeof value !== 'string') throw new SyntaxError('Expected a "cidr", "ip", "indicator", "value", "domain" or "url" string');
          values = [{ ...parseIndicator(value), description: typeof doc.sblid === 'string' ? doc.sblid : undefined }];
          break;
        }
        case 'list':
        case 'drop': {
          const v = parseListLine(trimmed);
          if (v) values = [v];
          break;
        }
      }
      for (const v of values) {
        yield {
          indicator: v.indicator,
          type: v.type,
          meta: { ...base, pulseName: v.source ?? base.pulseName, description: v.description, url: v.url },
        };
      }
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      bad.push({ source: base.source, location: `${path}:${number}`, value: trimmed, reason: err.message });
    }
  }
}

function safeParse(value: string): string | undefined {
  try {
    return parseIndicator(value).indicator;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
