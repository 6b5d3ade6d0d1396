import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Alert } from '../alerts/alert.js';
import { parseAlertLine } from './parse-alert-line.js';

const NEWLINE = 0x0a;
const DEFAULT_CHUNK = 64 * 1024;
/** A longer line is not an alert the sink wrote: it is counted as malformed without being kept whole. */
const DEFAULT_MAX_LINE = 1024 * 1024;

export interface RecentAlerts {
  /** Newest first. */
  alerts: Alert[];
  /** Lines read that were not alerts (bad JSON, wrong shape, too long). */
  malformed: number;
  /** Whether the whole file was read (else it stopped at `limit`). */
  complete: boolean;
}

export interface AlertLog {
  readonly path: string;
  /** The newest `limit` alerts of at least `minLevel`, read backwards from the end of the file. */
  recent(options: { limit: number; minLevel?: number }): Promise<RecentAlerts>;
  /** Lines in the file (alerts and malformed lines alike); 0 when there is no file. */
  count(): Promise<number>;
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

/** Newlines in bytes [start, end) of the file. */
async function countNewlines(path: string, start: number, end: number): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path, { start, end: end - 1 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) n += 1;
  }
  return n;
}

/**
 * The JSONL alert log the alert dispatcher appends to (DATA/alerts/alerts.jsonl).
 * Reads backwards in chunks so the newest alerts cost the same however long the
 * log is; a missing file is an empty log.
 */
export function createAlertLog(path: string, options: { chunkBytes?: number; maxLineBytes?: number } = {}): AlertLog {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  // The log only grows between rotations: count just the bytes appended since the last call.
  let counted: { ino: number; size: number; lines: number } | undefined;

  async function recent(query: { limit: number; minLevel?: number }): Promise<RecentAlerts> {
    const minLevel = query.minLevel ?? 0;
    const result: RecentAlerts = { alerts: [], malformed: 0, complete: false };
    let fh;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (isMissing(err)) return { ...result, complete: true };
      throw err;
    }
    try {
      const full = (): boolean => result.alerts.length >= query.limit;
      const take = (bytes: Buffer | null): void => {
        if (bytes === null) {
          result.malformed += 1;
          return;
        }
        const text = bytes.toString('utf8').trim();
        if (text === '') return;
        const alert = parseAlertLine(text);
        if (alert === null) result.malformed += 1;
        else if (alert.rule.level >= minLevel) result.alerts.push(alert);
      };
      let pos = (await fh.stat()).size;
      // The end of the line being assembled (bytes after the chunk being read), or null once it is too long to keep.
      let tail: Buffer | null = Buffer.alloc(0);
      while (pos > 0 && !full()) {
        const start = Math.max(0, pos - chunkBytes);
        const chunk = Buffer.alloc(pos - start);
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, start);
        const data = chunk.subarray(0, bytesRead);
        pos = start;
        let end = data.length;
        while (end > 0 && !full()) {
          const nl = data.lastIndexOf(NEWLINE, end - 1);
          if (nl < 0) break;
          take(tail === null ? null : Buffer.concat([data.subarray(nl + 1, end), tail]));
          tail = Buffer.alloc(0);
          end = nl;
        }
        if (full()) break;
        if (tail !== null) {
          tail = Buffer.concat([data.subarray(0, end), tail]);
          if (tail.length > maxLineBytes) tail = null;
        }
      }
      if (pos === 0 && !full()) {
        take(tail);
        result.complete = true;
      }
      return result;
    } finally {
      await fh.close();
    }
  }

  async function count(): Promise<number> {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      if (isMissing(err)) {
        counted = undefined;
        return 0;
      }
      throw err;
    }
    const from = counted && counted.ino === info.ino && counted.size <= info.size ? counted : { ino: info.ino, size: 0, lines: 0 };
    if (from.size === info.size) return from.lines;
    const lines = from.lines + (await countNewlines(path, from.size, info.size));
    counted = { ino: info.ino, size: info.size, lines };
    return lines;
  }

  return { path, recent, count };
}
