import { mkdir, open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { HoneyscopeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { decodeSpoolFrames, encodeSpoolFrame } from './spool-frame.js';

export interface DiskSpoolOptions {
  /** DATA/spool */
  dir: string;
  /** The spool refuses appends beyond this many bytes. */
  maxBytes: number;
  /** A segment is closed once it reaches this size; replay then deletes whole segments. */
  segmentBytes: number;
  logger: Logger;
}

interface Segment {
  seq: number;
  path: string;
  size: number;
}

const SEGMENT_NAME = /^(\d{12})\.seg$/;

/**
 * A bounded, append-only, fsynced queue of byte payloads in segment files
 * (DATA/spool/000000000001.seg, ...). `append` resolves once the payload is
 * on disk; `peek` and `shift` replay the oldest first. A segment is deleted
 * only after all its payloads were shifted, so a crash during replay sends
 * part of one segment again (receivers are idempotent), never less.
 */
export class DiskSpool {
  readonly #options: DiskSpoolOptions;
  readonly #segments: Segment[];
  #bytes: number;
  #active: { fh: FileHandle; segment: Segment } | undefined;
  #head: { segment: Segment; payloads: Buffer[]; index: number } | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(options: DiskSpoolOptions, segments: Segment[]) {
    this.#options = options;
    this.#segments = segments;
    this.#bytes = segments.reduce((n, s) => n + s.size, 0);
  }

  /** Opens the directory (created if missing) with the segments a previous run left. */
  static async open(options: DiskSpoolOptions): Promise<DiskSpool> {
    await mkdir(options.dir, { recursive: true, mode: 0o750 });
    const segments: Segment[] = [];
    for (const name of (await readdir(options.dir)).sort()) {
      const m = SEGMENT_NAME.exec(name);
      if (m === null) continue;
      const path = join(options.dir, name);
      segments.push({ seq: Number(m[1]), path, size: (await stat(path)).size });
    }
    return new DiskSpool(options, segments);
  }

  get bytes(): number {
    return this.#bytes;
  }

  get isEmpty(): boolean {
    return this.#segments.length === 0;
  }

  /**
   * Appends one payload and fsyncs it.
   *
   * @throws {HoneyscopeError} HS_FLEET when the spool is full
   */
  append(payload: Buffer): Promise<void> {
    return this.#locked(async () => {
      const frame = encodeSpoolFrame(payload);
      if (this.#bytes + frame.length > this.#options.maxBytes) {
        throw new HoneyscopeError('HS_FLEET', `Cannot spool ${payload.length} bytes in "${this.#options.dir}": the spool holds ${this.#bytes} of at most ${this.#options.maxBytes} bytes`);
      }
      const active = this.#active ?? (await this.#startSegment());
      try {
        await active.fh.write(frame);
        await active.fh.datasync();
      } catch (err) {
        // A torn frame ends the segment for readers, so later frames go to a new one.
        await this.#sealActive();
        throw err;
      }
      active.segment.size += frame.length;
      this.#bytes += frame.length;
      if (active.segment.size >= this.#options.segmentBytes) await this.#sealActive();
    });
  }

  /** The oldest payload, or undefined when the spool is empty. */
  peek(): Promise<Buffer | undefined> {
    return this.#locked(async () => {
      while (this.#head === undefined || this.#head.index >= this.#head.payloads.length) {
        const segment = this.#segments[0];
        if (segment === undefined) return undefined;
        if (this.#active?.segment === segment) await this.#sealActive();
        const data = await readFile(segment.path);
        const decoded = decodeSpoolFrames(data);
        if (decoded.validBytes < data.length) {
          this.#options.logger.warn({ file: segment.path, ignoredBytes: data.length - decoded.validBytes }, 'spool segment ends in a torn or corrupt frame; it was never acknowledged and is skipped');
        }
        if (decoded.payloads.length > 0) this.#head = { segment, payloads: decoded.payloads, index: 0 };
        else await this.#dropHeadSegment();
      }
      return this.#head.payloads[this.#head.index];
    });
  }

  /** Drops the payload `peek` returned (it was delivered). */
  shift(): Promise<void> {
    return this.#locked(async () => {
      const head = this.#head;
      if (head === undefined) return;
      head.index += 1;
      if (head.index >= head.payloads.length) await this.#dropHeadSegment();
    });
  }

  close(): Promise<void> {
    return this.#locked(() => this.#sealActive());
  }

  async #startSegment(): Promise<{ fh: FileHandle; segment: Segment }> {
    const seq = (this.#segments.at(-1)?.seq ?? 0) + 1;
    const path = join(this.#options.dir, `${String(seq).padStart(12, '0')}.seg`);
    const fh = await open(path, 'a', 0o640);
    await syncDir(this.#options.dir);
    const segment = { seq, path, size: 0 };
    this.#segments.push(segment);
    this.#active = { fh, segment };
    return this.#active;
  }

  async #sealActive(): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    await active?.fh.close();
  }

  async #dropHeadSegment(): Promise<void> {
    const segment = this.#segments.shift();
    this.#head = undefined;
    if (segment === undefined) return;
    this.#bytes -= segment.size;
    await unlink(segment.path);
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    // The caller gets the result or error of `run`; the chain only orders the next operation after it.
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/** Makes a new file's directory entry durable. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
