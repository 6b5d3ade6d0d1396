import type { Socket } from 'node:net';
import { HoneyscopeError } from '../../lib/errors.js';
import { ReplySplitter } from './protocol.js';

export interface ConversationTimeouts {
  /** Until the connection is established. */
  connectTimeoutMs: number;
  /** Without any byte read or written. */
  idleTimeoutMs: number;
  /** For the whole exchange; 0 for none. */
  totalTimeoutMs: number;
}

/** How a connection ended: the replies read, any cut-off text, and the transport failure if any. */
export interface ConversationEnd {
  replies: string[];
  /** Bytes after the last terminator (a reply cut off), as text; '' when none. */
  cut: string;
  /** Why the connection failed (refused, timed out, reset); undefined when clamd closed normally. */
  failure?: HoneyscopeError;
  /** True when the failure happened before the connection was established. */
  unavailable: boolean;
}

/**
 * One connection to clamd: reads replies while the caller writes, enforces the
 * connect, idle and total timeouts by destroying the socket, and resolves
 * `ended` once the socket is closed. It never rejects.
 */
export class Conversation {
  readonly socket: Socket;
  readonly ended: Promise<ConversationEnd>;
  readonly #splitter = new ReplySplitter();
  readonly #replies: string[] = [];
  readonly #listeners = new Set<() => void>();
  #connected = false;
  #closed = false;
  #failure: HoneyscopeError | undefined;
  #failedBeforeConnect = false;
  readonly #timers: NodeJS.Timeout[] = [];

  readonly #stopOnReply: boolean;

  constructor(socket: Socket, timeouts: ConversationTimeouts, options: { label: string; onReply?: (reply: string) => void; stopOnReply?: boolean }) {
    this.socket = socket;
    // Outside IDSESSION any reply ends the request; inside, replies interleave with further writes.
    this.#stopOnReply = options.stopOnReply ?? true;
    const { label } = options;
    this.ended = new Promise<ConversationEnd>((resolve) => {
      socket.once('close', () => {
        this.#closed = true;
        for (const timer of this.#timers) clearTimeout(timer);
        this.#wake();
        resolve({ replies: this.#replies, cut: this.#splitter.pendingText(), unavailable: this.#failedBeforeConnect, ...(this.#failure ? { failure: this.#failure } : {}) });
      });
    });
    socket.on('data', (chunk: Buffer) => {
      for (const reply of this.#splitter.push(chunk)) {
        this.#replies.push(reply);
        options.onReply?.(reply);
      }
      this.#wake();
    });
    socket.on('drain', () => this.#wake());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = this.#connected ? 'HS_CLAMD_PROTOCOL' : 'HS_CLAMD_UNAVAILABLE';
      const what = this.#connected ? `Connection to clamd on ${label} failed` : `Cannot connect to clamd on ${label}`;
      // Node drops a reply clamd sent just before closing once a write fails; say what usually causes that.
      const why = this.#connected && (err.code === 'EPIPE' || err.code === 'ECONNRESET') ? ' (clamd closed it while data was still being sent, as it does for a stream over its StreamMaxLength)' : '';
      this.#fail(new HoneyscopeError(code, `${what}: ${err.code ?? err.message}${why}`, { cause: err }));
    });
    socket.once('connect', () => {
      this.#connected = true;
      socket.setTimeout(timeouts.idleTimeoutMs);
      this.#wake();
    });
    socket.on('timeout', () => {
      this.#fail(new HoneyscopeError('HS_CLAMD_TIMEOUT', `clamd on ${label} sent nothing for ${timeouts.idleTimeoutMs} ms`));
      socket.destroy();
    });
    this.#timers.push(
      setTimeout(() => {
        if (this.#connected) return;
        this.#fail(new HoneyscopeError('HS_CLAMD_TIMEOUT', `Cannot connect to clamd on ${label} within ${timeouts.connectTimeoutMs} ms`));
        socket.destroy();
      }, timeouts.connectTimeoutMs),
    );
    if (timeouts.totalTimeoutMs > 0) {
      this.#timers.push(
        setTimeout(() => {
          this.#fail(new HoneyscopeError('HS_CLAMD_TIMEOUT', `clamd on ${label} did not finish within ${timeouts.totalTimeoutMs} ms`));
          socket.destroy();
        }, timeouts.totalTimeoutMs),
      );
    }
  }

  /**
   * Writes with backpressure. Resolves false without writing once clamd has
   * replied or the connection is gone: the caller stops sending and reads the reply.
   */
  async write(...data: Uint8Array[]): Promise<boolean> {
    while (!this.#connected && !this.#stopped()) await this.#nextEvent();
    if (this.#stopped()) return false;
    // Several buffers (a chunk header and its chunk) leave in one system call.
    this.socket.cork();
    let room = true;
    for (const part of data) room = this.socket.write(part);
    this.socket.uncork();
    if (!room) {
      while (this.socket.writableNeedDrain && !this.#stopped()) await this.#nextEvent();
    } else if (this.#stopOnReply) {
      // Let the event loop poll the socket: a refusal must be read before clamd's close resets the connection.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return !this.#stopped();
  }

  /** Waits up to `ms` for a reply or the close; true when the exchange is over. */
  async settle(ms: number): Promise<boolean> {
    const timer = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    while (!this.#stopped()) {
      if ((await Promise.race([this.#nextEvent().then(() => false), timer.then(() => true)])) === true) break;
    }
    return this.#stopped();
  }

  /** Resolves on the next reply, drain or close. */
  #nextEvent(): Promise<void> {
    return new Promise((resolve) => this.#listeners.add(resolve));
  }

  #wake(): void {
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }

  #stopped(): boolean {
    return this.#closed || this.socket.destroyed || (this.#stopOnReply && this.#replies.length > 0);
  }

  #fail(failure: HoneyscopeError): void {
    if (this.#failure) return;
    this.#failure = failure;
    this.#failedBeforeConnect = !this.#connected;
  }

  /** Ends the exchange now (the caller has what it needs, or gave up). */
  destroy(): void {
    this.socket.destroy();
  }
}
