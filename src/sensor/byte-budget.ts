/**
 * A shared budget of attacker bytes held in memory at once (all sessions).
 * Holders reserve before buffering and release when done; a refused
 * reservation means the data is dropped and counted, never that memory grows.
 */
export class ByteBudget {
  readonly #limit: number;
  #used = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  reserve(bytes: number): boolean {
    if (this.#used + bytes > this.#limit) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }

  get used(): number {
    return this.#used;
  }
}
