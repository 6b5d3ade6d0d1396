import { open, stat } from 'node:fs/promises';
import { HoneyscopeError } from '../../lib/errors.js';
import { decodePayload } from '../decode-payload.js';
import type { DecodedPayloadRow, DuckDbStore, StagedFile } from '../duckdb/duckdb-store.js';
import { payloadColumns, type EventRow } from '../event-row.js';
import { parseLine } from './parse-line.js';
import type { FileSummary, IngestOptions, MalformedLine } from './ingest-files.js';

/** What the bulk path hands back to ingestFiles(). */
export interface BulkCallbacks {
  /** Ingests one file on the streaming path. */
  streaming: (file: string) => Promise<FileSummary>;
  /** Records a malformed line (unless strict, which throws first). */
  malformed: (line: MalformedLine) => void;
}

/** A regular file the bulk path may read whole: nothing of it is checkpointed yet. */
export interface BulkCandidate {
  file: string;
  head: string;
  gzip: boolean;
  /** Plain: the file size; gzip: the trailer's ISIZE (decompressed size mod 2^32). */
  expectBytes: number;
}

/** Input read per DuckDB pass: the identity check against stored rows runs once per pass. */
export const BULK_PASS_BYTES = 256 * 1024 * 1024;
/** Files with more lines left to JavaScript than this share go the streaming path instead. */
const MAX_SLOW_SHARE = 0.25;
const SLOW_APPEND = 20_000;

/** DuckDB expands these in file names as glob patterns. */
const GLOB = /[*?[\]{}]/;

/**
 * Describes `file` for the bulk path, or undefined when it is empty, too
 * short to hold a gzip trailer, named like a glob pattern, or a plain file
 * whose last line has no newline: a live log mid-write, whose unfinished line
 * the streaming path leaves for the next run instead of calling it malformed.
 */
export async function bulkCandidate(file: string, head: string, gzip: boolean): Promise<BulkCandidate | undefined> {
  if (GLOB.test(file)) return undefined;
  const size = (await stat(file)).size;
  if (size === 0 || (gzip && size < 18)) return undefined;
  const fh = await open(file, 'r');
  try {
    const tail = gzip ? 4 : 1;
    const { buffer } = await fh.read(Buffer.alloc(tail), 0, tail, size - tail);
    if (!gzip) return buffer[0] === 0x0a ? { file, head, gzip, expectBytes: size } : undefined;
    return { file, head, gzip, expectBytes: buffer.readUInt32LE(0) };
  } finally {
    await fh.close();
  }
}

/** The input offset a checkpoint records when DuckDB's lines account for exactly the file's bytes, else undefined. */
function endOffset(c: BulkCandidate, s: StagedFile | undefined): number | undefined {
  if (s === undefined || s.rows === 0 || s.lines - s.fast > s.lines * MAX_SLOW_SHARE) return undefined;
  // Each line counts one newline; a last line without one counts a byte too many.
  for (const bytes of [s.bytes, s.bytes - 1]) {
    if (c.gzip ? bytes % 2 ** 32 === c.expectBytes : bytes === c.expectBytes) return bytes;
  }
  return undefined;
}

/**
 * Ingests whole files through DuckDB's own reader (see bulk-sql.ts): one pass
 * for all of `candidates` (same compression), lines DuckDB cannot type
 * unambiguously go through toEventRow(), and each file is checkpointed at its
 * end, in the transaction that stores the pass. Files DuckDB reads differently
 * from the streaming reader (CR line ends, invalid UTF-8, changed while read)
 * go to the streaming path instead.
 */
export async function ingestBulk(
  store: DuckDbStore,
  candidates: readonly BulkCandidate[],
  options: IngestOptions,
  callbacks: BulkCallbacks,
): Promise<FileSummary[]> {
  const gzip = candidates[0]?.gzip ?? false;
  let staged: StagedFile[];
  try {
    staged = await store.bulkStage(
      candidates.map((c) => c.file),
      gzip,
    );
  } catch (err) {
    await store.bulkDiscard();
    if (!(err instanceof Error) || candidates.length === 0) throw err;
    // One unreadable file must not send the whole pass down the slow path.
    if (candidates.length > 1) return splitPass(store, candidates, options, callbacks);
    return [await callbacks.streaming(candidates[0]?.file ?? '')];
  }
  const byPath = new Map(staged.map((s) => [s.path, s]));
  const good = candidates.filter((c) => endOffset(c, byPath.get(c.file)) !== undefined);
  if (good.length < candidates.length) {
    await store.bulkDiscard();
    const results = good.length > 0 ? await ingestBulk(store, good, options, callbacks) : [];
    const done = new Map(results.map((r) => [r.file, r]));
    const out: FileSummary[] = [];
    for (const c of candidates) out.push(done.get(c.file) ?? (await callbacks.streaming(c.file)));
    return out;
  }
  try {
    return await commitPass(store, candidates, byPath, options, callbacks);
  } finally {
    await store.bulkDiscard();
  }
}

async function splitPass(
  store: DuckDbStore,
  candidates: readonly BulkCandidate[],
  options: IngestOptions,
  callbacks: BulkCallbacks,
): Promise<FileSummary[]> {
  const out: FileSummary[] = [];
  for (const c of candidates) out.push(...(await ingestBulk(store, [c], options, callbacks)));
  return out;
}

async function commitPass(
  store: DuckDbStore,
  candidates: readonly BulkCandidate[],
  staged: ReadonlyMap<string, StagedFile>,
  options: IngestOptions,
  callbacks: BulkCallbacks,
): Promise<FileSummary[]> {
  const { slow, payloadKeys } = await store.bulkPending();
  const slowRows = new Map<string, EventRow[]>();
  const malformed = new Map<string, number>();
  for (const s of slow) {
    const row = parseLine(s.text);
    if (typeof row !== 'string') {
      const rows = slowRows.get(s.path) ?? [];
      rows.push(row);
      slowRows.set(s.path, rows);
      continue;
    }
    const bad: MalformedLine = { file: s.path, line: s.line, message: `Cannot parse "${s.path}" at line ${s.line}: ${row}` };
    if (options.strict) throw new HoneyscopeError('HS_INGEST', bad.message);
    malformed.set(s.path, (malformed.get(s.path) ?? 0) + 1);
    callbacks.malformed(bad);
  }
  const files = candidates.flatMap((c) => {
    const s = staged.get(c.file);
    return s === undefined ? [] : [{ c, s, offset: endOffset(c, s) ?? 0, slowInserted: 0, slowDuplicates: 0 }];
  });
  // The slow rows go in first: the pass commits with checkpoints that say every line of its files is stored.
  for (const f of files) {
    const rows = slowRows.get(f.c.file) ?? [];
    for (let i = 0; i < rows.length; i += SLOW_APPEND) {
      const appended = await store.append(rows.slice(i, i + SLOW_APPEND));
      f.slowInserted += appended.inserted;
      f.slowDuplicates += appended.duplicates;
    }
  }
  const checkpoints = files.map(({ c, s, offset }) => ({ source: c.file, head: c.head, offset, line: s.rows }));
  const inserted = await store.bulkCommit(payloadKeys.map(decodeKey), checkpoints);
  const out: FileSummary[] = [];
  for (const { c, s, offset, slowInserted, slowDuplicates } of files) {
    const fast = inserted.get(c.file) ?? 0;
    const result: FileSummary = {
      file: c.file,
      lines: s.lines,
      inserted: fast + slowInserted,
      duplicates: s.fast - fast + slowDuplicates,
      malformed: malformed.get(c.file) ?? 0,
      resumedAfterLine: 0,
    };
    await options.onProgress?.({ file: c.file, lines: result.lines, inserted: result.inserted, fileOffset: offset });
    out.push(result);
  }
  return out;
}

/** A payload key (JSON `[data_b64, data]`) decoded as toEventRow() decodes the event's payload. */
function decodeKey(pk: string): DecodedPayloadRow {
  const [b64, data] = JSON.parse(pk) as [unknown, unknown];
  const event: Record<string, unknown> = {};
  if (b64 !== null) event.data_b64 = b64;
  if (data !== null) event.data = data;
  return { pk, ...payloadColumns(decodePayload(event)) };
}
