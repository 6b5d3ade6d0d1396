/**
 * Counts open connections in total and per source IP, so a flood from one
 * address cannot take every slot.
 */
export class ConnectionLimiter {
  readonly #max: number;
  readonly #maxPerIp: number;
  readonly #perIp = new Map<string, number>();
  #total = 0;

  constructor(options: { max: number; maxPerIp: number }) {
    this.#max = options.max;
    this.#maxPerIp = options.maxPerIp;
  }

  /** Takes a slot, or says which limit refused it. */
  acquire(ip: string): 'ok' | 'limits.maxConnections' | 'limits.maxConnectionsPerIp' {
    if (this.#total >= this.#max) return 'limits.maxConnections';
    const current = this.#perIp.get(ip) ?? 0;
    if (current >= this.#maxPerIp) return 'limits.maxConnectionsPerIp';
    this.#perIp.set(ip, current + 1);
    this.#total += 1;
    return 'ok';
  }

  release(ip: string): void {
    const current = this.#perIp.get(ip);
    if (current === undefined) return;
    if (current <= 1) this.#perIp.delete(ip);
    else this.#perIp.set(ip, current - 1);
    this.#total -= 1;
  }

  get total(): number {
    return this.#total;
  }

  /** Open connections from `ip`. */
  from(ip: string): number {
    return this.#perIp.get(ip) ?? 0;
  }
}
