import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { HoneyscopeError } from '../../lib/errors.js';
import { ioReason } from '../../lib/io-reason.js';
import type { BadIndicator } from '../bad-indicator.js';
import { parseIndicator, type IntelMeta, type IntelRecord } from '../indicator.js';
import { csvColumns, detectLineFormat, parseHostsLine, parseListLine, parseZeekLine, splitCsvLine, type FeedFormat, type LineFormat, type ParsedValue } from './feed-line.js';
import { jsonDocumentToRecords, jsonObjectIndicator } from './json-document.js';
import { mispEventToRecords } from './misp-event.js';
import { stixBundleToRecords } from './stix-bundle.js';

export interface ReadIntelFileOptions {
  /** Source name for the metadata; `file:<basename>` by default. */
  source?: string;
  /** Collects skipped lines with their file and line number. */
  bad: BadIndicator[];
  now?: number;
  /**
   * Accept a feed that yields no indicator. Off by default: a truncated
   * download or an error body would otherwise empty the source it replaces.
   */
  allowEmpty?: boolean;
}

const HEAD_BYTES = 8192;
/** Whole JSON documents are parsed in memory; past this, JSON lines stream instead. */
const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;
const SILK_MAGIC = Buffer.from([0xde, 0xad, 0xbe, 0xef]);

/** The format of a feed file or directory, from its content (a MISP feed is a directory with manifest.json). */
export async function detectFeedFormat(path: string): Promise<FeedFormat> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read feed "${path}": ${ioReason(err)}`, { cause: err });
  }
  if (isDirectory) {
    const entries = await readdir(path);
    if (entries.includes('manifest.json')) return 'misp-feed';
    throw new HoneyscopeError('HS_INTEL', `Cannot read feed directory "${path}": expected a MISP feed with manifest.json`);
  }
  const fh = await open(path, 'r');
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    bytes = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (bytes.subarray(0, 4).equals(SILK_MAGIC)) {
    throw new HoneyscopeError('HS_INTEL', `Cannot read "${path}": it is a binary SiLK file (magic DE AD BE EF), expected text; run "rwsetcat ${path}" and give its output instead`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new HoneyscopeError('HS_INTEL', `Cannot read feed "${path}": it is binary (a NUL byte at offset ${nul}), expected a text or JSON feed`);
  const head = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !/^\{[^\n]*\}\s*\n\s*\{/.test(trimmed))) {
    if (/"type"\s*:\s*"bundle"/.test(head)) return 'stix';
    if (/^\{\s*"Event"\s*:/.test(trimmed)) return 'misp-event';
    return trimmed.startsWith('[') || isJsonDocument(trimmed) ? 'json' : 'ndjson';
  }
  try {
    return detectLineFormat(head, path);
  } catch (err) {
    if (err instanceof SyntaxError) throw new HoneyscopeError('HS_INTEL', err.message, { cause: err });
    throw err;
  }
}

/**
 * Whether text starting with `{` is one JSON document rather than JSON lines:
 * its first line is not a whole object (a pretty-printed or cut-off document),
 * or it is an OTX pulse or `results` page on one line.
 */
function isJsonDocument(text: string): boolean {
  const end = text.indexOf('\n');
  let first: unknown;
  try {
    first = JSON.parse(end === -1 ? text : text.slice(0, end));
  } catch (err) {
    if (err instanceof SyntaxError) return true;
    throw err;
  }
  const doc = first as { indicators?: unknown; results?: unknown };
  return Array.isArray(doc.indicators) || Array.isArray(doc.results);
}

/**
 * Reads one feed (file or MISP directory) as records, detecting its format by
 * content. Line formats stream; a bad line is added to `bad` with its file
 * and line number and skipped, and nothing else is lost. A feed that yields
 * no indicator throws at its end (unless `allowEmpty`), so a store replacing
 * a source with it rolls back.
 */
export async function* readIntelFile(path: string, options: ReadIntelFileOptions): AsyncGenerator<IntelRecord> {
  const badBefore = options.bad.length;
  let count = 0;
  for await (const record of readRecords(path, options)) {
    count += 1;
    yield record;
  }
  if (count === 0 && !options.allowEmpty) {
    const skipped = options.bad.length - badBefore;
    throw new HoneyscopeError(
      'HS_INTEL',
      `Cannot import feed "${path}": it yields no indicator (${skipped} ${skipped === 1 ? 'entry' : 'entries'} skipped), expected at least one; "intel import --allow-empty" empties a source on purpose`,
    );
  }
}

async function* readRecords(path: string, options: ReadIntelFileOptions): AsyncGenerator<IntelRecord> {
  const format = await detectFeedFormat(path);
  const source = options.source ?? `file:${basename(path)}`;
  const base: IntelMeta = { source, pulseId: '', active: true, firstSeen: options.now, lastSeen: options.now };
  switch (format) {
    case 'json':
      yield* jsonDocumentToRecords(await readJson(path), { file: path, base, bad: options.bad });
      return;
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
  const { size } = await stat(path);
  if (size > MAX_JSON_DOCUMENT_BYTES) {
    throw new HoneyscopeError('HS_LIMIT', `Cannot read JSON feed "${path}": it is ${size} bytes, expected at most ${MAX_JSON_DOCUMENT_BYTES} for one JSON document; give it as JSON lines instead`);
  }
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
          const value = jsonObjectIndicator(doc);
          values = [{ ...value, description: typeof doc.sblid === 'string' ? doc.sblid : value.description }];
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
