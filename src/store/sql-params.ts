/** Bound parameters of one statement, numbered `$1`, `$2`... in both databases. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
