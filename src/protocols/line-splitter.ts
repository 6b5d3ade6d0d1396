/** One line of a byte stream, decoded as Latin-1 so no byte is lost. */
export interface Line {
  /** The line without its `\n` or `\r\n`, cut to the splitter's `maxLineBytes`. */
  text: string;
  /** Bytes the line really had (terminator excluded), counting any cut off. */
  bytes: number;
  /** True when `text` was cut at `maxLineBytes`. */
  truncated: boolean;
  /** False for the unfinished line `flush()` returns. */
  terminated: boolean;
}

/**
 * Splits chunks of bytes into lines at `\n` (a preceding `\r` is dropped),
 * whatever the chunk boundaries. Memory stays bounded: a line longer than
 * `maxLineBytes` keeps its first `maxLineBytes` bytes and counts the rest.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #parts: Buffer[] = [];
  #kept = 0;
  #bytes = 0;
  #lastByte = 0;

  constructor(options: { maxLineBytes: number }) {
    if (!Number.isInteger(options.maxLineBytes) || options.maxLineBytes < 1) {
      throw new RangeError(`Expected maxLineBytes to be an integer greater than 0 but found ${options.maxLineBytes}`);
    }
    this.#maxLineBytes = options.maxLineBytes;
  }

  /** Bytes held for the unfinished line. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  /** Returns the lines that `chunk` completes. */
  push(chunk: Uint8Array): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      if (lf < 0) {
        this.#append(chunk, start, chunk.length);
        return lines;
      }
      this.#append(chunk, start, lf);
      lines.push(this.#take(true));
      start = lf + 1;
    }
  }

  /** Returns the unfinished line, if any bytes are pending, and resets. */
  flush(): Line | undefined {
    return this.#bytes === 0 ? undefined : this.#take(false);
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    this.#bytes += end - start;
    this.#lastByte = chunk[end - 1] ?? 0;
    // One byte beyond the cap is kept so a line of exactly the cap plus `\r` is not cut.
    const take = Math.min(this.#maxLineBytes + 1 - this.#kept, end - start);
    if (take > 0) {
      this.#parts.push(Buffer.from(chunk.subarray(start, start + take)));
      this.#kept += take;
    }
  }

  #take(terminated: boolean): Line {
    let bytes = this.#bytes;
    if (terminated && bytes > 0 && this.#lastByte === 0x0d) bytes--;
    const data = Buffer.concat(this.#parts, this.#kept).subarray(0, Math.min(bytes, this.#maxLineBytes));
    this.#parts = [];
    this.#kept = 0;
    this.#bytes = 0;
    this.#lastByte = 0;
    return { text: data.toString('latin1'), bytes, truncated: bytes > this.#maxLineBytes, terminated };
  }
}
