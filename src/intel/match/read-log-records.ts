import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLineParser, detectLogFormat, type LineParser } from './create-line-parser.js';
import type { LogFormat, LogRecord } from './log-record.js';
import type { MalformedLine } from './malformed-line.js';

export interface ReadLogRecordsOptions {
  /** Called for each malformed line, which is then skipped. */
  onMalformed: (bad: MalformedLine) => void;
  /** Skip detection. */
  format?: LogFormat;
}

const HEAD_LINES = 20;
const CHUNK = 1 << 20;

/** A log's bytes in chunks of about 1 MiB, gunzipped when the file starts with the gzip magic. */
export async function* readLogChunks(path: string): AsyncGenerator<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read log "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const magic = Buffer.alloc(2);
  await fh.read(magic, 0, 2, 0);
  let input: Readable = fh.createReadStream({ start: 0, highWaterMark: CHUNK });
  if (magic[0] === 0x1f && magic[1] === 0x8b) input = input.pipe(createGunzip({ chunkSize: CHUNK }));
  try {
    yield* input as AsyncIterable<Buffer>;
  } finally {
    input.destroy();
    await fh.close().catch(() => undefined);
  }
}

/**
 * A log's text lines in batches (one per chunk read). Batches rather than
 * single lines: an await per line would cost more than parsing it.
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of readLogChunks(path)) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield stripCr(lines);
  }
  rest += decoder.end();
  if (rest !== '') yield stripCr([rest]);
}

function stripCr(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** The format of a log from its first lines, as {@link readLogBatches} detects it; undefined when none fits. */
export async function detectFileFormat(path: string): Promise<LogFormat | undefined> {
  const head: string[] = [];
  for await (const lines of readLineBatches(path)) {
    head.push(...lines.slice(0, HEAD_LINES - head.length));
    if (head.length >= HEAD_LINES) break;
  }
  return detectLogFormat(head);
}

/**
 * Streams the records of one log (any supported format, gzip or not) in
 * batches, detecting the format from its first lines. Malformed lines go to
 * `onMalformed` with file and line number and the run carries on.
 */
export async function* readLogBatches(path: string, options: ReadLogRecordsOptions): AsyncGenerator<LogRecord[]> {
  let parser: LineParser | undefined;
  let lineNo = 0;
  const held: string[] = [];
  const parseAll = (lines: readonly string[]): LogRecord[] => {
    const out: LogRecord[] = [];
    const p = parser!;
    for (const line of lines) {
      lineNo++;
      try {
        const record = p.parse(line, lineNo);
        if (record) out.push(record);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        options.onMalformed({ file: path, line: lineNo, reason: err.message });
      }
    }
    return out;
  };
  const detect = (): void => {
    const format = options.format ?? detectLogFormat(held.slice(0, HEAD_LINES));
    if (format === undefined) {
      throw new HoneyscopeError('HS_MATCH', `Cannot detect the format of "${path}": expected rwcut output, CSV flows, a Zeek log (TSV or JSON), a BIND query or RPZ log, a combined access log or Cowrie JSON events`);
    }
    parser = createLineParser(format, path);
  };
  for await (const lines of readLineBatches(path)) {
    if (parser) {
      yield parseAll(lines);
      continue;
    }
    held.push(...lines);
    if (held.length < HEAD_LINES) continue;
    detect();
    yield parseAll(held.splice(0));
  }
  if (!parser && held.some((l) => l.trim() !== '')) {
    detect();
    yield parseAll(held.splice(0));
  }
}

/** {@link readLogBatches}, one record at a time. */
export async function* readLogRecords(path: string, options: ReadLogRecordsOptions): AsyncGenerator<LogRecord> {
  for await (const batch of readLogBatches(path, options)) yield* batch;
}
