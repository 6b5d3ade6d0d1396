import { open, stat, type FileHandle } from 'node:fs/promises';

/** Where reading stopped in one file: its identity (device and inode) and the byte offset after the last whole line. */
export interface FollowPosition {
  dev: string;
  ino: string;
  offset: number;
  /** Lines consumed so far, for line numbers after a restart. */
  line: number;
}

export interface FollowedLine {
  text: string;
  line: number;
}

export interface LogFollowerOptions {
  /** Resume here when the file at the path still has this identity and is at least this long. */
  start?: FollowPosition | undefined;
  /**
   * Called with each batch of whole lines, in order, before the position moves
   * past them. `head` is the first 64 KiB of the file (for header-driven formats);
   * `fresh` is true for the first batch of a file (new, rotated in or truncated).
   */
  onLines: (lines: FollowedLine[], context: { head: string; fresh: boolean; position: FollowPosition }) => Promise<void>;
}

const CHUNK = 1 << 20;
const HEAD = 64 * 1024;
/** Bytes before the offset compared at each poll. */
const TAIL = 64;

/**
 * Follows one path like `tail -F`, by polling: new lines are read as the file
 * grows; when the path is renamed away (rotation) the old file is read to its
 * end, then the new file from its start; when the file shrinks (truncation)
 * reading starts again at 0. Only whole lines are delivered, except the last
 * unterminated line of a file rotated away.
 */
export class LogFollower {
  readonly path: string;
  readonly #onLines: LogFollowerOptions['onLines'];
  #start: FollowPosition | undefined;
  #fh: FileHandle | undefined;
  #position: FollowPosition | undefined;
  #pending: Buffer = Buffer.alloc(0);
  #head = '';
  #fresh = true;
  /**
   * The last bytes before the offset, as read. A file truncated and written
   * again past the offset between two polls (logrotate's copytruncate) is no
   * shorter, but no longer holds them there: it is read again from the start.
   */
  #tail: Buffer = Buffer.alloc(0);

  constructor(path: string, options: LogFollowerOptions) {
    this.path = path;
    this.#start = options.start;
    this.#onLines = options.onLines;
  }

  /** The position to persist, or undefined before the file was first seen. */
  get position(): FollowPosition | undefined {
    return this.#position && { ...this.#position };
  }

  /** One round: open if needed, read what is new, handle truncation and rotation. */
  async poll(): Promise<void> {
    if (!this.#fh && !(await this.#open())) return;
    const fh = this.#fh!;
    const size = (await fh.stat()).size;
    const moved = this.#tail.length > 0 && !(await this.#tailAt(fh, this.#position!.offset)).equals(this.#tail);
    if (size < this.#position!.offset || moved) this.#restart();
    await this.#readToEnd(fh);
    this.#tail = await this.#tailAt(fh, this.#position!.offset);
    let current;
    try {
      current = await stat(this.path, { bigint: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (!current || String(current.dev) !== this.#position!.dev || String(current.ino) !== this.#position!.ino) {
      // Rotated away: what is left in the old file is final, the new file starts at 0.
      await this.#readToEnd(fh);
      if (this.#pending.length > 0) await this.#deliver([this.#pending.toString('utf8')], this.#pending.length);
      await this.close();
      this.#start = undefined;
      if (current) await this.poll();
    }
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = undefined;
    this.#pending = Buffer.alloc(0);
    await fh?.close();
  }

  async #open(): Promise<boolean> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    const s = await fh.stat({ bigint: true });
    const dev = String(s.dev);
    const ino = String(s.ino);
    const start = this.#start;
    this.#fh = fh;
    this.#fresh = true;
    if (start && start.dev === dev && start.ino === ino && Number(s.size) >= start.offset) {
      this.#position = { ...start };
      this.#fresh = start.offset === 0;
    } else {
      this.#position = { dev, ino, offset: 0, line: 0 };
    }
    this.#pending = Buffer.alloc(0);
    this.#head = '';
    this.#tail = Buffer.alloc(0);
    return true;
  }

  async #tailAt(fh: FileHandle, offset: number): Promise<Buffer> {
    const n = Math.min(TAIL, offset);
    const buf = Buffer.alloc(n);
    const { bytesRead } = n === 0 ? { bytesRead: 0 } : await fh.read(buf, 0, n, offset - n);
    return buf.subarray(0, bytesRead);
  }

  #restart(): void {
    this.#tail = Buffer.alloc(0);
    this.#position = { ...this.#position!, offset: 0, line: 0 };
    this.#pending = Buffer.alloc(0);
    this.#head = '';
    this.#fresh = true;
  }

  async #readToEnd(fh: FileHandle): Promise<void> {
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const at = this.#position!.offset + this.#pending.length;
      const { bytesRead } = await fh.read(buf, 0, CHUNK, at);
      if (bytesRead === 0) return;
      const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
      const lastNewline = data.lastIndexOf(10);
      if (lastNewline === -1) {
        this.#pending = data;
        continue;
      }
      this.#pending = Buffer.from(data.subarray(lastNewline + 1));
      const text = data.subarray(0, lastNewline).toString('utf8');
      const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      await this.#deliver(lines, lastNewline + 1);
    }
  }

  async #deliver(texts: string[], bytes: number): Promise<void> {
    const position = this.#position!;
    if (this.#head === '') {
      const headBuf = Buffer.alloc(HEAD);
      const { bytesRead } = await this.#fh!.read(headBuf, 0, HEAD, 0);
      this.#head = headBuf.subarray(0, bytesRead).toString('utf8');
    }
    const lines = texts.map((text, i) => ({ text, line: position.line + i + 1 }));
    const fresh = this.#fresh;
    this.#fresh = false;
    const next = { ...position, offset: position.offset + bytes, line: position.line + texts.length };
    await this.#onLines(lines, { head: this.#head, fresh, position: next });
    this.#position = next;
  }
}
