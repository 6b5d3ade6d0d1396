import { open, stat } from 'node:fs/promises';
import { HoneyscopeError } from '../../lib/errors.js';
import { ioReason } from '../../lib/io-reason.js';
import type { EventRow } from '../event-row.js';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import type { Store } from '../store.js';
import { BULK_PASS_BYTES, bulkCandidate, ingestBulk, type BulkCandidate } from './ingest-bulk.js';
import { STDIN, listInputs } from './list-inputs.js';
import { parseLine } from './parse-line.js';
import { gunzipIfCompressed, isGzipFile, readFileHead, readFileLines, splitLines, type LineChunk } from './read-lines.js';

export interface MalformedLine {
  file: string;
  line: number;
  message: string;
}

export interface FileSummary {
  file: string;
  /** Non-empty lines read in this run. */
  lines: number;
  inserted: number;
  duplicates: number;
  malformed: number;
  /** Lines not read again because a checkpoint said they were stored. */
  resumedAfterLine: number;
  /** Why the file could not be read to its end (unreadable, a truncated gzip); what was read before is stored. */
  unreadable?: string;
  /**
   * The number of a last line that had no newline and was no event yet: a log
   * still being written. It is neither stored nor malformed, and the next run
   * reads it again from its start.
   */
  unfinishedLine?: number;
}

export interface IngestSummary {
  files: FileSummary[];
  lines: number;
  inserted: number;
  duplicates: number;
  malformed: number;
  /** Inputs that could not be read to their end. */
  unreadable: number;
  /** The first MAX_REPORTED_MALFORMED malformed lines, with file and line. */
  malformedLines: MalformedLine[];
  elapsedMs: number;
}

export interface IngestProgress {
  file: string;
  lines: number;
  inserted: number;
  /** Bytes of input consumed in the current file (decompressed for gzip). */
  fileOffset: number;
}

export interface IngestOptions {
  /** A malformed line stops the ingest (HS_INGEST) instead of being counted. */
  strict?: boolean;
  /**
   * Rows per append and checkpoint on the streaming path. When set, regular
   * files are streamed too; otherwise DuckDB reads whole files natively.
   */
  batchSize?: number;
  /** Read for PATH `-`. */
  stdin?: AsyncIterable<Buffer>;
  /** Called after each stored batch, once its checkpoint is saved. */
  onProgress?: (progress: IngestProgress) => void | Promise<void>;
  /** Called for each malformed line as it is found. */
  onMalformed?: (line: MalformedLine) => void;
  /** Called for each input that could not be read to its end (the ingest goes on with the next). */
  onUnreadable?: (message: string) => void;
}

export const MAX_REPORTED_MALFORMED = 100;
const DEFAULT_BATCH = 20_000;

/**
 * Streams Cowrie JSON logs (any era, gzip, directories, stdin) into a store.
 * Idempotent (event identity) and resumable (a checkpoint per file after each
 * batch). A malformed line is counted and reported with file and line; the
 * rest still goes in, unless `strict`. On DuckDB, regular files with nothing
 * to resume take the bulk path (ingest-bulk.ts): DuckDB reads them whole and
 * each is checkpointed at its end; a strict failure there stores nothing of its pass.
 */
export async function ingestFiles(store: Store, paths: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const summary: IngestSummary = { files: [], lines: 0, inserted: 0, duplicates: 0, malformed: 0, unreadable: 0, malformedLines: [], elapsedMs: 0 };
  const add = (fileSummary: FileSummary): void => {
    summary.files.push(fileSummary);
    summary.lines += fileSummary.lines;
    summary.inserted += fileSummary.inserted;
    summary.duplicates += fileSummary.duplicates;
    summary.malformed += fileSummary.malformed;
    if (fileSummary.unreadable !== undefined) summary.unreadable += 1;
  };
  const streaming = (file: string): Promise<FileSummary> => ingestOne(store, file, options, summary);
  const malformed = (line: MalformedLine): void => {
    if (summary.malformedLines.length < MAX_REPORTED_MALFORMED) summary.malformedLines.push(line);
    options.onMalformed?.(line);
  };
  // The bulk path's unit is a whole file; an explicit batch size asks for the streaming path's per-batch checkpoints.
  const bulk = store instanceof DuckDbStore && options.batchSize === undefined ? store : undefined;
  let pass: BulkCandidate[] = [];
  let passBytes = 0;
  const flushPass = async (): Promise<void> => {
    if (bulk === undefined || pass.length === 0) return;
    const files = pass;
    pass = [];
    passBytes = 0;
    for (const r of await ingestBulk(bulk, files, options, { streaming, malformed })) add(r);
  };
  for (const file of await listInputs(paths)) {
    // A file that cannot even be opened goes the streaming path, which reports it.
    const candidate = bulk === undefined ? undefined : await bulkCandidateFor(bulk, file).catch((err: unknown) => {
      if (isReadError(err)) return undefined;
      throw err;
    });
    if (candidate === undefined) {
      await flushPass();
      add(await streaming(file));
      continue;
    }
    if (pass.length > 0 && (pass[0]?.gzip !== candidate.gzip || passBytes + candidate.expectBytes > BULK_PASS_BYTES)) await flushPass();
    pass.push(candidate);
    passBytes += candidate.expectBytes;
  }
  await flushPass();
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/** A file for the bulk path: a regular file of which no part is checkpointed (nothing to resume). */
async function bulkCandidateFor(store: Store, file: string): Promise<BulkCandidate | undefined> {
  if (file === STDIN) return undefined;
  const head = await readFileHead(file);
  const cp = await store.getCheckpoint(file);
  if (cp !== undefined && cp.head === head && (await fitsFile(file, cp.offset))) return undefined;
  return bulkCandidate(file, head, await isGzipFile(file));
}

async function ingestOne(store: Store, file: string, options: IngestOptions, summary: IngestSummary): Promise<FileSummary> {
  const result: FileSummary = { file, lines: 0, inserted: 0, duplicates: 0, malformed: 0, resumedAfterLine: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  let chunks: AsyncIterable<LineChunk>;
  let head = '';
  let lineNo = 0;
  let lastOffset = 0;

  let batch: EventRow[] = [];
  let resumeOffset = 0;
  const where = file === STDIN ? 'standard input' : `"${file}"`;
  const flush = async (offset: number): Promise<void> => {
    const appended = await store.append(batch);
    batch = [];
    result.inserted += appended.inserted;
    result.duplicates += appended.duplicates;
    if (file !== STDIN) await store.putCheckpoint({ source: file, head, offset, line: lineNo });
    await options.onProgress?.({ file, lines: result.lines, inserted: result.inserted, fileOffset: offset });
  };

  try {
    if (file === STDIN) {
      chunks = splitLines(gunzipIfCompressed(options.stdin ?? (process.stdin as AsyncIterable<Buffer>)));
    } else {
      head = await readFileHead(file);
      const cp = await store.getCheckpoint(file);
      // Another file under the same name (rotated, rewritten, truncated) starts again from the top.
      const resume = cp !== undefined && cp.head === head && (await fitsFile(file, cp.offset)) ? cp : undefined;
      lineNo = resume?.line ?? 0;
      result.resumedAfterLine = lineNo;
      chunks = await readFileLines(file, resume?.offset ?? 0);
      lastOffset = resume?.offset ?? 0;
      resumeOffset = lastOffset;
    }
    // Only a plain file can still be growing; stdin and gzip input are whole.
    const mayGrow = file !== STDIN && !(await isGzipFile(file));
    for await (const chunk of chunks) {
      for (const line of chunk.lines) {
        lineNo++;
        if (line === '' || line === '\r') continue;
        const row = line === null ? 'line is too long' : parseLine(line);
        if (typeof row !== 'string') {
          result.lines++;
          batch.push(row);
          continue;
        }
        if (chunk.unterminated && mayGrow && line !== null) {
          // The checkpoint stays before it, so the next run reads the whole line once it is written.
          result.unfinishedLine = lineNo;
          lineNo--;
          break;
        }
        result.lines++;
        const malformed: MalformedLine = { file, line: lineNo, message: `Cannot parse ${where} at line ${lineNo}: ${row}` };
        if (options.strict) throw new HoneyscopeError('HS_INGEST', malformed.message);
        result.malformed++;
        if (summary.malformedLines.length < MAX_REPORTED_MALFORMED) summary.malformedLines.push(malformed);
        options.onMalformed?.(malformed);
      }
      if (result.unfinishedLine !== undefined) break;
      lastOffset = chunk.endOffset;
      // Batches end at read boundaries, where the input offset of the checkpoint is exact.
      if (batch.length >= batchSize) await flush(chunk.endOffset);
    }
  } catch (err) {
    if (!isReadError(err)) throw err;
    const message = lineNo === 0 ? `Cannot read ${where}: ${ioReason(err)}` : `Cannot read ${where} after line ${lineNo}: ${ioReason(err)}`;
    if (options.strict) throw new HoneyscopeError('HS_INGEST', message, { cause: err });
    // What was read before stays stored (a half-written .gz from a rotation in progress); the next input is still read.
    result.unreadable = message;
    options.onUnreadable?.(message);
    if (batch.length > 0 || lastOffset > resumeOffset) await flush(lastOffset);
    return result;
  }
  await flush(lastOffset);
  return result;
}

/**
 * False when a plain file no longer matches its checkpoint: shorter than the
 * offset, or no line ends just before it (a line above was edited, say a fixed
 * malformed one). It is then read again from the top, which event identities
 * make safe.
 */
async function fitsFile(file: string, offset: number): Promise<boolean> {
  if (await isGzipFile(file)) return true;
  if ((await stat(file)).size < offset) return false;
  if (offset === 0) return true;
  const fh = await open(file, 'r');
  try {
    // A checkpoint after a whole last event without its newline fails this too: that file is read again, once.
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(1), 0, 1, offset - 1);
    return bytesRead === 1 && buffer[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/** File system and zlib failures (ENOENT, Z_DATA_ERROR, ...), as opposed to store errors. */
function isReadError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|Z_[A-Z_]+|ERR_STREAM_PREMATURE_CLOSE)$/.test(code);
}
