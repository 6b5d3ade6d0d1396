import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLineParser, detectLogFormat } from './create-line-parser.js';
import type { LogFormat, LogRecord } from './log-record.js';
import type { MalformedLine } from './malformed-line.js';

export interface ReadLogRecordsOptions {
  /** Called for each malformed line, which is then skipped. */
  onMalformed: (bad: MalformedLine) => void;
  /** Skip detection. */
  format?: LogFormat;
}

const HEAD_LINES = 20;

/** Opens a log as text lines, gunzipping when it starts with the gzip magic. */
export async function openLogLines(path: string): Promise<AsyncIterable<string>> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read log "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const magic = Buffer.alloc(2);
  await fh.read(magic, 0, 2, 0);
  let input: Readable = fh.createReadStream({ start: 0 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) input = input.pipe(createGunzip());
  return createInterface({ input, crlfDelay: Infinity });
}

/**
 * Streams the records of one log (any supported format, gzip or not),
 * detecting the format from its first lines. Malformed lines go to
 * `onMalformed` with file and line number and the run carries on.
 */
export async function* readLogRecords(path: string, options: ReadLogRecordsOptions): AsyncGenerator<LogRecord> {
  const lines = (await openLogLines(path))[Symbol.asyncIterator]();
  const head: string[] = [];
  while (head.length < HEAD_LINES) {
    const next = await lines.next();
    if (next.done) break;
    head.push(next.value);
  }
  const format = options.format ?? detectLogFormat(head);
  if (format === undefined) {
    if (head.every((l) => l.trim() === '')) return;
    throw new HoneyscopeError('HS_MATCH', `Cannot detect the format of "${path}": expected rwcut output, CSV flows, a Zeek log (TSV or JSON), a BIND query or RPZ log, a combined access log or Cowrie JSON events`);
  }
  const parser = createLineParser(format, path);
  let lineNo = 0;
  const parse = (line: string): LogRecord | undefined => {
    lineNo++;
    try {
      return parser.parse(line, lineNo);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      options.onMalformed({ file: path, line: lineNo, reason: err.message });
      return undefined;
    }
  };
  for (const line of head) {
    const record = parse(line);
    if (record) yield record;
  }
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const record = parse(next.value);
    if (record) yield record;
  }
}
