import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export interface TtyLogResult {
  ttylog: string;
  size: number;
  shasum: string;
  duplicate: boolean;
  duration_ms: number;
}

/**
 * Records a terminal as asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/)
 * straight to disk, capped at `maxBytes`; on close the file is named by its
 * SHA-256 under DATA/tty/, as Cowrie names its tty logs.
 */
export class TtyRecorder {
  readonly #dataDir: string;
  readonly #tmpPath: string;
  readonly #started: number;
  readonly #maxBytes: number;
  readonly #hash = createHash('sha256');
  readonly #now: () => number;
  #out: WriteStream | undefined;
  #size = 0;
  #truncated = false;

  constructor(options: { dataDir: string; name: string; width: number; height: number; term: string; maxBytes: number; now?: () => number }) {
    this.#dataDir = options.dataDir;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
    this.#maxBytes = options.maxBytes;
    this.#tmpPath = join(options.dataDir, 'tty', `.${options.name}.cast.tmp`);
    const header = { version: 2, width: options.width || 80, height: options.height || 24, timestamp: Math.floor(this.#started / 1000), env: { TERM: options.term, SHELL: '/bin/bash' } };
    this.#pendingHeader = `${JSON.stringify(header)}\n`;
  }

  #pendingHeader: string | undefined;

  /** Output ("o") or input ("i") as the terminal saw it. */
  record(kind: 'o' | 'i', data: string | Buffer): void {
    if (this.#truncated) return;
    const text = typeof data === 'string' ? data : data.toString('utf8');
    const line = `${JSON.stringify([Number(((this.#now() - this.#started) / 1000).toFixed(6)), kind, text])}\n`;
    this.#write(line);
  }

  #write(line: string): void {
    if (!this.#out) {
      this.#out = createWriteStream(this.#tmpPath, { flags: 'w', mode: 0o640 });
      this.#out.on('error', () => {
        this.#truncated = true;
      });
      const header = this.#pendingHeader!;
      this.#pendingHeader = undefined;
      this.#append(header);
    }
    if (this.#size + Buffer.byteLength(line) > this.#maxBytes) {
      this.#truncated = true;
      return;
    }
    this.#append(line);
  }

  #append(text: string): void {
    this.#size += Buffer.byteLength(text);
    this.#hash.update(text);
    this.#out!.write(text);
  }

  static async prepare(dataDir: string): Promise<void> {
    await mkdir(join(dataDir, 'tty'), { recursive: true });
  }

  /** Ends the recording; undefined when nothing was recorded. */
  async close(): Promise<TtyLogResult | undefined> {
    const out = this.#out;
    if (!out) return undefined;
    out.end();
    await once(out, 'close');
    const shasum = this.#hash.digest('hex');
    const ttylog = join('tty', shasum);
    const target = join(this.#dataDir, ttylog);
    const duplicate = await stat(target).then(() => true, () => false);
    if (duplicate) await unlink(this.#tmpPath);
    else await rename(this.#tmpPath, target);
    return { ttylog, size: this.#size, shasum, duplicate, duration_ms: Math.round(this.#now() - this.#started) };
  }

  get truncated(): boolean {
    return this.#truncated;
  }
}
