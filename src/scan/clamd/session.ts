import { HoneyscopeError } from '../../lib/errors.js';
import type { ClamdClient } from './client.js';
import type { Conversation } from './conversation.js';
import { encodeCommand, encodeInstream, parseSessionReply, TIMEOUT_REPLY, verdictFromReplies, type Verdict } from './protocol.js';

interface Pending {
  resolve: (body: string) => void;
  reject: (err: HoneyscopeError) => void;
}

/**
 * An IDSESSION: requests are pipelined on one connection and clamd answers
 * them in any order as `N: reply`, N counting requests from 1. A session ends
 * on END, on a command clamd refuses inside a session, or on a size-limit
 * refusal; every request still open then resolves as an error, never clean.
 */
export class ClamdSession {
  readonly #client: ClamdClient;
  #conversation: Conversation | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #writes: Promise<unknown> = Promise.resolve();
  #ended = false;
  #endReason = 'the IDSESSION ended';

  constructor(client: ClamdClient) {
    this.#client = client;
  }

  /** Opens the connection and sends IDSESSION. */
  async start(): Promise<void> {
    // Idle time inside a session is bounded by clamd's ReadTimeout; the client's idle timeout guards stalls.
    const conversation = this.#client.open({ stopOnReply: false, totalTimeoutMs: 0, onReply: (reply) => this.#onReply(reply) });
    this.#conversation = conversation;
    void conversation.ended.then((end) => {
      this.#ended = true;
      const why = end.failure?.message ?? (end.cut ? `reply cut off: ${JSON.stringify(end.cut)}` : this.#endReason);
      const code = end.failure?.code ?? 'HS_CLAMD_PROTOCOL';
      for (const [id, pending] of this.#pending) pending.reject(new HoneyscopeError(code, `Request ${id} of the IDSESSION got no reply: ${why}`));
      this.#pending.clear();
    });
    if (!(await conversation.write(encodeCommand('IDSESSION')))) {
      const end = await conversation.ended;
      throw end.failure ?? new HoneyscopeError('HS_CLAMD_PROTOCOL', `clamd on ${this.#client.label} closed the connection when the IDSESSION started`);
    }
  }

  get open(): boolean {
    return !this.#ended;
  }

  async ping(): Promise<void> {
    const reply = await this.#request(encodeCommand('PING'));
    if (reply !== 'PONG') throw new HoneyscopeError('HS_CLAMD_PROTOCOL', `clamd answered PING in the IDSESSION with ${JSON.stringify(reply)}: expected "PONG"`);
  }

  async version(): Promise<string> {
    return this.#request(encodeCommand('VERSION'));
  }

  /** INSTREAM of bytes held in memory, sent in one write so requests never interleave. */
  async scanBuffer(data: Uint8Array): Promise<Verdict> {
    const skipped = this.#client.skippedBySize(data.length);
    if (skipped) return skipped;
    return this.#scan(encodeInstream(data, this.#client.chunkSize));
  }

  /** SCAN of a path clamd opens itself. */
  async scanPath(path: string): Promise<Verdict> {
    if (path.includes('\0') || path.includes('\n')) return { kind: 'error', reason: 'Cannot scan a path containing a NUL byte or a newline' };
    return this.#scan(encodeCommand('SCAN', path));
  }

  /** Sends END and waits until clamd has answered everything and closed. */
  async close(): Promise<void> {
    const conversation = this.#conversation;
    if (!conversation) return;
    if (!this.#ended) {
      await this.#enqueueWrite(encodeCommand('END'));
    }
    await conversation.ended;
  }

  /** Closes the connection at once; open requests resolve as errors. */
  destroy(): void {
    this.#conversation?.destroy();
  }

  async #scan(payload: Buffer): Promise<Verdict> {
    let reply: string;
    try {
      reply = await this.#request(payload);
    } catch (err) {
      const failure = err as HoneyscopeError;
      return { kind: 'error', reason: failure.message, transient: failure.code === 'HS_CLAMD_UNAVAILABLE' ? 'unavailable' : 'interrupted' };
    }
    return verdictFromReplies([reply]);
  }

  #request(payload: Buffer): Promise<string> {
    if (this.#ended || !this.#conversation) {
      return Promise.reject(new HoneyscopeError('HS_CLAMD_PROTOCOL', `Cannot send a request: ${this.#endReason}`));
    }
    const id = this.#nextId++;
    const result = new Promise<string>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    void this.#enqueueWrite(payload);
    return result;
  }

  /** Writes one request after the previous one, so INSTREAM chunks of two requests never mix. */
  #enqueueWrite(payload: Buffer): Promise<unknown> {
    const conversation = this.#conversation!;
    this.#writes = this.#writes.then(() => conversation.write(payload));
    return this.#writes;
  }

  #onReply(reply: string): void {
    if (reply === TIMEOUT_REPLY) {
      this.#endReason = `clamd on ${this.#client.label} timed out the IDSESSION (${TIMEOUT_REPLY})`;
      return;
    }
    const parsed = parseSessionReply(reply);
    if (!parsed) {
      this.#endReason = `clamd sent a reply without a request id: ${JSON.stringify(reply)}`;
      this.#conversation?.destroy();
      return;
    }
    const pending = this.#pending.get(parsed.id);
    if (!pending) return;
    this.#pending.delete(parsed.id);
    if (/(^| )Command invalid inside IDSESSION\. ERROR$|INSTREAM size limit exceeded\. ERROR$/.test(parsed.body)) {
      this.#endReason = `clamd ended the IDSESSION after ${JSON.stringify(parsed.body)}`;
    }
    pending.resolve(parsed.body);
  }
}
