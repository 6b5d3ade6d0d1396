import { createConnection, type Socket } from 'node:net';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { HoneyscopeError } from '../../lib/errors.js';
import { describeClamdAddress, type ClamdAddress } from './clamd-address.js';
import { Conversation, type ConversationEnd, type ConversationTimeouts } from './conversation.js';
import { encodeChunkHeader, encodeCommand, encodeInstream, INSTREAM_END, NOT_SUPPORTED, parseVersionCommands, pathVerdicts, TIMEOUT_REPLY, verdictFromReplies, type PathVerdict, type Verdict } from './protocol.js';
import { ClamdSession } from './session.js';

/** Opens a connection to clamd; tests inject one that reaches a fake server. */
export type ClamdConnect = (address: ClamdAddress) => Socket;

/** What clamd does with a path: stop at the first infected file, continue, in parallel, or report every match. */
export type PathScanMode = 'SCAN' | 'CONTSCAN' | 'MULTISCAN' | 'ALLMATCHSCAN';

export interface ClamdClientOptions extends Partial<ConversationTimeouts> {
  address: ClamdAddress;
  connect?: ClamdConnect;
  /** Bytes per INSTREAM chunk. */
  chunkSize?: number;
  /**
   * clamd's StreamMaxLength, if known. The chunk that crosses it is announced
   * alone first, so clamd's refusal is read before any data it would not take
   * (data left unread makes clamd's close a reset that can lose the reply). 0 if unknown.
   */
  streamMaxLength?: number;
  /**
   * clamd's MaxFileSize: a larger file is not scanned and clamd says OK, so the
   * client reports it as an error instead of sending it. 0 turns the check off.
   */
  maxFileSize?: number;
}

export const CLIENT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  // clamd's own ReadTimeout default: a big INSTREAM is scanned after the terminator, with no bytes flowing.
  idleTimeoutMs: 120_000,
  totalTimeoutMs: 600_000,
  // Large chunks mean fewer reads and writes; clamd takes any chunk size.
  chunkSize: 256 * 1024,
  maxFileSize: 100 * 1024 * 1024,
  // Debian's clamd.conf sets StreamMaxLength 25M.
  streamMaxLength: 25 * 1024 * 1024,
} as const;

/** How long to wait for clamd's answer to the chunk header that crosses StreamMaxLength. */
const LIMIT_PROBE_MS = 250;

export function defaultConnect(address: ClamdAddress): Socket {
  return address.kind === 'unix' ? createConnection({ path: address.path }) : createConnection({ host: address.host, port: address.port });
}

/**
 * A clamd client over TCP or a Unix socket. Every request uses z-commands and
 * its own connection (clamd closes after each reply outside IDSESSION).
 * Control commands throw HoneyscopeError; scans always resolve a Verdict and
 * never report clean unless clamd answered exactly OK.
 */
export class ClamdClient {
  readonly address: ClamdAddress;
  readonly #connect: ClamdConnect;
  readonly #timeouts: ConversationTimeouts;
  readonly chunkSize: number;
  readonly maxFileSize: number;
  readonly streamMaxLength: number;

  constructor(options: ClamdClientOptions) {
    this.address = options.address;
    this.#connect = options.connect ?? defaultConnect;
    this.#timeouts = {
      connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? CLIENT_DEFAULTS.idleTimeoutMs,
      totalTimeoutMs: options.totalTimeoutMs ?? CLIENT_DEFAULTS.totalTimeoutMs,
    };
    this.chunkSize = options.chunkSize ?? CLIENT_DEFAULTS.chunkSize;
    this.maxFileSize = options.maxFileSize ?? CLIENT_DEFAULTS.maxFileSize;
    this.streamMaxLength = options.streamMaxLength ?? CLIENT_DEFAULTS.streamMaxLength;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1 || this.chunkSize > 0x7fffffff) {
      throw new RangeError(`Cannot create clamd client: expected chunkSize to be a positive integer but found ${this.chunkSize}`);
    }
  }

  get label(): string {
    return describeClamdAddress(this.address);
  }

  /** A new connection with the client's timeouts. */
  open(options: { stopOnReply?: boolean; onReply?: (reply: string) => void; totalTimeoutMs?: number } = {}): Conversation {
    const timeouts = options.totalTimeoutMs === undefined ? this.#timeouts : { ...this.#timeouts, totalTimeoutMs: options.totalTimeoutMs };
    return new Conversation(this.#connect(this.address), timeouts, { label: this.label, ...options });
  }

  /** Resolves when clamd answers PONG; throws HoneyscopeError otherwise. */
  async ping(): Promise<void> {
    const reply = await this.#command('PING');
    if (reply !== 'PONG') throw this.#unexpected('PING', reply, '"PONG"');
  }

  /** `ClamAV 1.4.6` or `ClamAV 1.4.6/27500/<date>` with a versioned database. */
  async version(): Promise<string> {
    return this.#command('VERSION');
  }

  async versionCommands(): Promise<{ version: string; commands: string[] }> {
    const reply = await this.#command('VERSIONCOMMANDS');
    try {
      return parseVersionCommands(reply);
    } catch (err) {
      throw new HoneyscopeError('HS_CLAMD_PROTOCOL', (err as SyntaxError).message, { cause: err });
    }
  }

  /** The STATS text as clamd writes it (thread pool, queue, memory), ending in END. */
  async stats(): Promise<string> {
    const reply = await this.#command('STATS');
    if (!reply.endsWith('END')) throw this.#unexpected('STATS', reply, 'a report ending in "END"');
    return reply;
  }

  /** Asks clamd to reload its databases (it answers RELOADING at once and reloads in the background). */
  async reload(): Promise<void> {
    const reply = await this.#command('RELOAD');
    if (reply !== 'RELOADING') throw this.#unexpected('RELOAD', reply, '"RELOADING"');
  }

  /** Scans bytes with INSTREAM. */
  async scanBuffer(data: Uint8Array): Promise<Verdict> {
    const skipped = this.skippedBySize(data.length);
    if (skipped) return skipped;
    if (data.length > this.chunkSize || (this.streamMaxLength > 0 && data.length > this.streamMaxLength)) return this.scanStream([data]);
    const conversation = this.open();
    await conversation.write(encodeInstream(data, this.chunkSize));
    return streamVerdict(await conversation.ended);
  }

  /**
   * Scans a stream with INSTREAM: chunks are sent with backpressure while the
   * reply is read, so a refusal ("INSTREAM size limit exceeded") stops the
   * upload at once and is reported, never cut silently.
   */
  async scanStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Verdict> {
    const conversation = this.open();
    let total = 0;
    let sent = 0;
    let probed = false;
    try {
      if (!(await conversation.write(encodeCommand('INSTREAM')))) return streamVerdict(await conversation.ended);
      for await (const piece of source) {
        total += piece.length;
        if (this.#tooLarge(total)) {
          conversation.destroy();
          return this.#skipped(total);
        }
        for (let at = 0; at < piece.length; at += this.chunkSize) {
          const chunk = piece.subarray(at, Math.min(piece.length, at + this.chunkSize));
          sent += chunk.length;
          if (!probed && this.streamMaxLength > 0 && sent > this.streamMaxLength) {
            probed = true;
            if (!(await conversation.write(encodeChunkHeader(chunk.length))) || (await conversation.settle(LIMIT_PROBE_MS))) return streamVerdict(await conversation.ended);
            if (!(await conversation.write(chunk))) return streamVerdict(await conversation.ended);
          } else if (!(await conversation.write(encodeChunkHeader(chunk.length), chunk))) {
            return streamVerdict(await conversation.ended);
          }
        }
      }
      await conversation.write(INSTREAM_END);
    } catch (err) {
      conversation.destroy();
      return { kind: 'error', reason: `Cannot read the data to scan: ${(err as Error).message}` };
    }
    return streamVerdict(await conversation.ended);
  }

  /** Reads a file here and scans its bytes with INSTREAM (clamd needs no access to the file). */
  async scanFileStream(path: string): Promise<Verdict> {
    let handle;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below, as clamd refuses it).
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      return { kind: 'error', reason: `Cannot open "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
    try {
      const info = await handle.stat();
      // A device or FIFO never ends (/dev/zero) or never starts: clamd's own answer for them.
      if (!info.isFile()) return NOT_SUPPORTED;
      const skipped = this.skippedBySize(info.size);
      if (skipped) return skipped;
      if (info.size <= this.chunkSize) {
        const data = await handle.readFile();
        return await this.scanBuffer(data);
      }
      return await this.scanStream(handle.createReadStream({ highWaterMark: this.chunkSize, autoClose: false }));
    } catch (err) {
      return { kind: 'error', reason: `Cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    } finally {
      await handle.close();
    }
  }

  /** Asks clamd to open `path` itself (SCAN) and returns its verdict. */
  async scanPath(path: string): Promise<Verdict> {
    const [first] = await this.scanPaths(path, 'SCAN');
    return first!.verdict;
  }

  /**
   * Asks clamd to scan a file or directory by path. CONTSCAN and MULTISCAN list
   * only infected files and errors (and `PATH: OK` when nothing was found).
   */
  async scanPaths(path: string, mode: PathScanMode): Promise<PathVerdict[]> {
    if (path.includes('\0') || path.includes('\n')) return [{ path, verdict: { kind: 'error', reason: 'Cannot scan a path containing a NUL byte or a newline' } }];
    const conversation = this.open({ stopOnReply: false });
    await conversation.write(encodeCommand(mode, path));
    const end = await conversation.ended;
    const broken = transportVerdict(end);
    if (end.replies.length === 0) return [{ path, verdict: broken ?? { kind: 'error', reason: 'clamd closed the connection without a reply' } }];
    const results = pathVerdicts(end.replies, path);
    if (broken) results.push({ path, verdict: broken });
    return results;
  }

  /** Opens an IDSESSION: many requests on one connection, answered out of order. */
  async session(): Promise<ClamdSession> {
    const session = new ClamdSession(this);
    await session.start();
    return session;
  }

  async #command(name: string): Promise<string> {
    const conversation = this.open();
    await conversation.write(encodeCommand(name));
    const end = await conversation.ended;
    const [reply] = end.replies;
    if (reply === undefined) {
      if (end.failure) throw end.failure;
      throw new HoneyscopeError('HS_CLAMD_PROTOCOL', `clamd on ${this.label} closed the connection without answering ${name}${end.cut ? ` (cut reply ${JSON.stringify(end.cut)})` : ''}`);
    }
    if (reply === TIMEOUT_REPLY || reply === 'UNKNOWN COMMAND') throw this.#unexpected(name, reply, 'a reply');
    return reply;
  }

  #unexpected(name: string, reply: string, expected: string): HoneyscopeError {
    return new HoneyscopeError('HS_CLAMD_PROTOCOL', `clamd on ${this.label} answered ${name} with ${JSON.stringify(reply)}: expected ${expected}`);
  }

  #tooLarge(size: number): boolean {
    return this.maxFileSize > 0 && size > this.maxFileSize;
  }

  #skipped(size: number): Verdict {
    return { kind: 'error', reason: `Not scanned: ${size} bytes is over the MaxFileSize of ${this.maxFileSize} bytes (clamd would skip it and say OK)` };
  }

  /** A regular file of `size` bytes that clamd would skip and call clean: its error verdict; undefined otherwise. */
  skippedBySize(size: number): Verdict | undefined {
    return this.#tooLarge(size) ? this.#skipped(size) : undefined;
  }
}

/**
 * The verdict of an INSTREAM from how its connection ended. A reply that was
 * cut, a socket error or no reply at all is an error, even after an OK line.
 */
export function streamVerdict(end: ConversationEnd): Verdict {
  const broken = transportVerdict(end);
  if (end.replies.length === 0) return broken ?? { kind: 'error', reason: 'clamd closed the connection without a reply', transient: 'interrupted' };
  const verdict = verdictFromReplies(end.replies);
  if (verdict.kind === 'clean' && broken) return broken;
  if (verdict.kind === 'error' && end.replies.includes(TIMEOUT_REPLY)) return { ...verdict, transient: 'interrupted' };
  return verdict;
}

/** A transport failure or a cut reply as an error verdict; undefined when the connection ended cleanly. */
function transportVerdict(end: ConversationEnd): Extract<Verdict, { kind: 'error' }> | undefined {
  if (end.failure) return { kind: 'error', reason: end.failure.message, transient: end.unavailable ? 'unavailable' : 'interrupted' };
  if (end.cut !== '') return { kind: 'error', reason: `clamd's reply was cut off: ${JSON.stringify(end.cut)}`, transient: 'interrupted' };
  return undefined;
}
