import { open, rename, stat, mkdir, unlink, type FileHandle } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
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
  rotateDaily?: boolean;
  gzipRotated?: boolean;
  now?: Clock;
  logger?: Logger;
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Cowrie-compatible JSON lines. Writes are group-committed: every event waiting
 * when a write starts goes out in one write (and one fsync), and each `write()`
 * resolves only after that, so an acknowledged event is on disk. At a new UTC
 * day the file becomes `cowrie.json.YYYY-MM-DD` and, optionally, is gzipped.
 */
export class JsonlSink implements Sink {
  readonly name = 'jsonl';
  readonly #options: Required<Omit<JsonlSinkOptions, 'logger'>> & { logger: Logger | undefined };
  #fh: FileHandle | undefined;
  #day = '';
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #compressions = new Set<Promise<void>>();

  constructor(options: JsonlSinkOptions) {
    this.#options = { fsync: true, rotateDaily: true, gzipRotated: true, now: systemClock, ...options, logger: options.logger };
  }

  write(event: HoneyscopeEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ line: `${toCowrieJson(event)}\n`, resolve, reject });
      this.#flushing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    // Let every event dispatched in this tick join the batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          const fh = await this.#handleForToday();
          await fh.write(batch.map((p) => p.line).join(''));
          if (this.#options.fsync) await fh.datasync();
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
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
    this.#fh = await open(this.#options.path, 'a', 0o640);
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
    while (this.#flushing) await this.#flushing;
    await this.#fh?.close();
    this.#fh = undefined;
    await Promise.all(this.#compressions);
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
