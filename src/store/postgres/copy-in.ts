import type pg from 'pg';

/** The parts of pg's Connection a COPY FROM STDIN uses (not in @types/pg). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * Runs `sql` (one or more statements, simple query protocol, so one implicit
 * transaction) whose COPY ... FROM STDIN reads `data`, and resolves with every
 * statement's command tag ("COPY 5000", "INSERT 0 4990"). pg has no COPY API of
 * its own; this is the Submittable interface pg-copy-streams uses, without
 * the streaming we do not need: the whole batch is already in memory.
 */
export function copyIn(client: pg.ClientBase, sql: string, data: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    client.query(new CopyInQuery(sql, data, resolve, reject));
  });
}

class CopyInQuery implements pg.Submittable {
  readonly #sql: string;
  readonly #data: Buffer;
  readonly #resolve: (tags: string[]) => void;
  readonly #reject: (err: unknown) => void;
  readonly #tags: string[] = [];
  #failed = false;

  constructor(sql: string, data: Buffer, resolve: (tags: string[]) => void, reject: (err: unknown) => void) {
    this.#sql = sql;
    this.#data = data;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.#sql);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const copy = connection as unknown as CopyConnection;
    copy.sendCopyFromChunk(this.#data);
    copy.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.#tags.push(message.text);
  }

  /** pg reports an error (from the server, or the connection's) before or instead of ReadyForQuery. */
  handleError(err: unknown): void {
    this.#failed = true;
    this.#reject(err);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.#resolve(this.#tags);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}
  handlePortalSuspended(): void {}
}
