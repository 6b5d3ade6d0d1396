/**
 * Bytes that trickle in, kept contiguous: grows by doubling (so n one-byte
 * appends cost O(n) copying, not O(n^2)) up to a cap; bytes past it are dropped.
 */
export class CappedBuffer {
  readonly #cap: number;
  #buf: Buffer = Buffer.alloc(0);
  #length = 0;

  constructor(cap: number) {
    this.#cap = cap;
  }

  get length(): number {
    return this.#length;
  }

  /** True once the cap is reached. */
  get full(): boolean {
    return this.#length >= this.#cap;
  }

  /** A view of the bytes held (valid until the next append or reset). */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#length);
  }

  /** Appends what fits under the cap; returns how many bytes were kept. */
  append(chunk: Uint8Array): number {
    const take = Math.min(chunk.length, this.#cap - this.#length);
    if (take <= 0) return 0;
    if (this.#length + take > this.#buf.length) {
      const next = Buffer.alloc(Math.min(this.#cap, Math.max(4096, this.#buf.length * 2, this.#length + take)));
      this.#buf.copy(next, 0, 0, this.#length);
      this.#buf = next;
    }
    this.#buf.set(chunk.subarray(0, take), this.#length);
    this.#length += take;
    return take;
  }

  /** Empties the buffer, then keeps `rest` (copied, so it may be a view of this buffer). */
  reset(rest: Uint8Array = new Uint8Array(0)): void {
    const copy = Buffer.from(rest);
    this.#buf = Buffer.alloc(0);
    this.#length = 0;
    this.append(copy);
  }
}
