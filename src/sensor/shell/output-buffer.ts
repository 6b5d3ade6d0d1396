/** Collects command output up to `limit` bytes; the rest is counted and dropped. */
export class OutputBuffer {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  write(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const room = this.#limit - this.#size;
    if (room <= 0) {
      this.#dropped += buf.length;
      return;
    }
    const kept = buf.length > room ? buf.subarray(0, room) : buf;
    this.#chunks.push(kept);
    this.#size += kept.length;
    this.#dropped += buf.length - kept.length;
  }

  get size(): number {
    return this.#size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
