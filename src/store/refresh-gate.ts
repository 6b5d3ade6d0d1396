/**
 * Coalesces refresh requests: a request is answered by a refresh that had not
 * yet begun looking for new rows when the request came, so it sees every row
 * committed before the request; requests that come together share one.
 */
export class RefreshGate {
  readonly #run: (begin: () => void) => Promise<void>;
  /** The refresh that has not begun yet, which new requests join. */
  #pending: Promise<void> | undefined;
  /** The refresh in progress, which a new one waits for. */
  #running: Promise<void> = Promise.resolve();

  constructor(run: (begin: () => void) => Promise<void>) {
    this.#run = run;
  }

  request(): Promise<void> {
    if (this.#pending !== undefined) return this.#pending;
    let pending!: Promise<void>;
    const begin = (): void => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending = this.#running.catch(() => undefined).then(() => this.#run(begin));
    // A refresh that fails before it began must not keep answering later requests.
    pending.then(begin, begin);
    this.#pending = pending;
    this.#running = pending;
    return pending;
  }
}
