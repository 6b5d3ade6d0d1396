import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Lines decoded from one read, with the input position after them. */
export interface LineChunk {
  /** `null` stands for a line longer than the limit (skipped, counted as malformed). */
  lines: Array<string | null>;
  /** Bytes of (decompressed) input consumed after these lines. */
  endOffset: number;
  /** The last line had no newline at the end of the input: a live log may still be writing it. */
  unterminated?: boolean;
}

/** A line longer than this is not buffered: it is skipped and reported. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const READ_CHUNK = 1 << 20;

/** Passes gzip input (magic bytes 1f 8b, any file name) through gunzip; other input unchanged. */
export async function* gunzipIfCompressed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) return;
  async function* whole(): AsyncGenerator<Buffer> {
    try {
      yield head;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      // Stopping early (a head read, an error) must release the file.
      await it.return?.();
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* whole();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(whole()), gunzip, (err) => {
    if (err) gunzip.destroy(err);
  });
  yield* gunzip as AsyncIterable<Buffer>;
}

/**
 * Splits a byte stream into UTF-8 lines, one batch per read. `skip` drops the
 * first bytes (a resume point in a stream that cannot seek); `base` is the
 * offset the stream already starts at (a file opened at a position). Memory
 * stays bounded by the read size and MAX_LINE_BYTES.
 */
export async function* splitLines(source: AsyncIterable<Buffer>, options: { skip?: number; base?: number } = {}): AsyncGenerator<LineChunk> {
  let toSkip = options.skip ?? 0;
  let offset = (options.base ?? 0) + toSkip;
  let rest: Buffer | undefined;
  let overlong = false;
  for await (const raw of source) {
    let chunk = raw;
    if (toSkip > 0) {
      if (chunk.length <= toSkip) {
        toSkip -= chunk.length;
        continue;
      }
      chunk = chunk.subarray(toSkip);
      toSkip = 0;
    }
    const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const last = buf.lastIndexOf(0x0a);
    if (last < 0) {
      if (buf.length > MAX_LINE_BYTES) {
        overlong = true;
        offset += buf.length;
        rest = undefined;
      } else rest = buf;
      continue;
    }
    const lines: Array<string | null> = buf.toString('utf8', 0, last).split('\n');
    if (overlong) {
      lines[0] = null;
      overlong = false;
    }
    offset += last + 1;
    rest = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
    yield { lines, endOffset: offset };
  }
  if (overlong) yield { lines: [null], endOffset: offset + (rest?.length ?? 0) };
  else if (rest !== undefined && rest.length > 0) yield { lines: [rest.toString('utf8')], endOffset: offset + rest.length, unterminated: true };
}

/** True when the file starts with the gzip magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * A file's lines from a resume offset: plain files are opened at the offset,
 * gzip files are decompressed from the start and the offset skipped.
 */
export async function readFileLines(path: string, offset = 0): Promise<AsyncGenerator<LineChunk>> {
  if (await isGzipFile(path)) {
    return splitLines(gunzipIfCompressed(createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>), { skip: offset });
  }
  return splitLines(createReadStream(path, { highWaterMark: READ_CHUNK, start: offset }) as AsyncIterable<Buffer>, { base: offset });
}

/**
 * What identifies a file's content across renames and rotation: its first
 * line (at most 4 KiB, decompressed), or '' for an empty file.
 */
export async function readFileHead(path: string): Promise<string> {
  for await (const chunk of splitLines(await readHeadBytes(path))) {
    const first = chunk.lines[0];
    return first === null || first === undefined ? '' : first.slice(0, 4096);
  }
  return '';
}

async function readHeadBytes(path: string): Promise<AsyncIterable<Buffer>> {
  const raw = createReadStream(path, { highWaterMark: 64 * 1024, end: (await isGzipFile(path)) ? undefined : 64 * 1024 - 1 });
  return gunzipIfCompressed(raw as AsyncIterable<Buffer>);
}
