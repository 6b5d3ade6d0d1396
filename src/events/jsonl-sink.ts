import { open, rename, stat, mkdir, unlink, type FileHandle } from 'node:fs/promises';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { dirname, join, basename } from 'node:path';
import { systemClock, utcDay, type Clock } from '../lib/time.js';
import type { Logger } from '../lib/logger.js';
import type { HoneyscopeEvent } from './event.js';
import type { Sink } from './sink.js';
import { toCowrieJson } from './to-cowrie-json.js';

export interface JsonlSinkOptions {
  /** The live file, e.g. DATA/log/cowrie.json. */
  path: string;
  fsync?: boolean;
  /**
   * Under load, a batch starts at most this long after the previous one, so
   * one write and one flush cover every event of the interval; an idle log
   * writes at once.
   */
  groupCommitMs?: number;
  rotateDaily?: boolean;
  gzipRotated?: boolean;
  now?: Clock;
  logger?: Logger;
}

/** The events waiting for the next write: their lines, and one promise they all resolve with. */
interface Batch {
  text: string;
  readonly written: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

const DEFAULT_GROUP_COMMIT_MS = 50;
/** With O_DSYNC the write itself is durable (data and new size): one thread-pool round trip, not write + fdatasync. */
const O_DSYNC: number | undefined = constants.O_DSYNC;

/**
 * Cowrie-compatible JSON lines. Writes are group-committed: every event waiting
 * when a write starts goes out in one write (and one flush), and each `write()`
 * resolves only after that, so an acknowledged event is on disk. At a new UTC
 * day the file becomes `cowrie.json.YYYY-MM-DD` and, optionally, is gzipped.
 */
export class JsonlSink implements Sink {
  readonly name = 'jsonl';
  readonly #options: Required<Omit<JsonlSinkOptions, 'logger'>> & { logger: Logger | undefined };
  #fh: FileHandle | undefined;
  #day = '';
  #batch: Batch | undefined;
  #flushing: Promise<void> | undefined;
  #lastBatch = -Infinity;
  #endWindow: (() => void) | undefined;
  #closing = false;
  #compressions = new Set<Promise<void>>();

  constructor(options: JsonlSinkOptions) {
    this.#options = { fsync: true, rotateDaily: true, gzipRotated: true, groupCommitMs: DEFAULT_GROUP_COMMIT_MS, now: systemClock, ...options, logger: options.logger };
  }

  write(event: HoneyscopeEvent): Promise<void> {
    const batch = (this.#batch ??= newBatch());
    batch.text += `${toCowrieJson(event)}\n`;
    this.#flushing ??= this.#drain();
    return batch.written;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#batch) {
        await this.#batchWindow();
        const batch = this.#batch;
        this.#batch = undefined;
        this.#lastBatch = performance.now();
        try {
          const fh = await this.#handleForToday();
          await writeAll(fh, Buffer.from(batch.text, 'latin1'));
          if (this.#options.fsync && O_DSYNC === undefined) await fh.datasync();
          batch.resolve();
        } catch (err) {
          batch.reject(err);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Waits for the rest of the batch: this tick's events when idle, the group-commit interval under load. */
  #batchWindow(): Promise<void> {
    const wait = this.#closing ? 0 : this.#lastBatch + this.#options.groupCommitMs - performance.now();
    if (wait <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.#endWindow = undefined;
        resolve();
      };
      const timer = setTimeout(end, wait);
      this.#endWindow = end;
    });
  }

  async #handleForToday(): Promise<FileHandle> {
    const today = utcDay(this.#options.now());
    if (this.#fh && (!this.#options.rotateDaily || today === this.#day)) return this.#fh;
    if (this.#fh) {
      await this.#fh.close();
      this.#fh = undefined;
      await this.#rotate(this.#day);
    } else {
      await mkdir(dirname(this.#options.path), { recursive: true });
      // A file left from an earlier day (the sensor was down at midnight) is rotated first.
      const st = await stat(this.#options.path).catch(() => undefined);
      if (st && st.size > 0 && this.#options.rotateDaily && utcDay(st.mtimeMs) !== today) await this.#rotate(utcDay(st.mtimeMs));
    }
    const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (this.#options.fsync ? O_DSYNC ?? 0 : 0);
    this.#fh = await open(this.#options.path, flags, 0o640);
    this.#day = today;
    return this.#fh;
  }

  async #rotate(day: string): Promise<void> {
    const target = await freeName(`${this.#options.path}.${day}`);
    await rename(this.#options.path, target);
    if (!this.#options.gzipRotated) return;
    const job = gzipFile(target).catch((err: unknown) => {
      this.#options.logger?.error({ file: target, err: String(err) }, 'cannot gzip rotated event log; it is kept uncompressed');
    });
    this.#compressions.add(job);
    void job.finally(() => this.#compressions.delete(job));
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#endWindow?.();
    while (this.#flushing) await this.#flushing;
    await this.#fh?.close();
    this.#fh = undefined;
    await Promise.all(this.#compressions);
  }
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const written = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { text: '', written, resolve, reject };
}

/** Lines are ASCII (toCowrieJson escapes the rest), so latin1 is exact; a short write is continued. */
async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await fh.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

async function freeName(base: string): Promise<string> {
  for (let i = 0; ; i += 1) {
    const candidate = i === 0 ? base : `${base}.${i}`;
    const taken = await stat(candidate).then(() => true, () => false) || await stat(`${candidate}.gz`).then(() => true, () => false);
    if (!taken) return candidate;
  }
}

async function gzipFile(path: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.gz.tmp`);
  await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp));
  await rename(tmp, `${path}.gz`);
  await unlink(path);
}
