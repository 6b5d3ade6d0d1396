import type { SessionIdentity } from '../events/event.js';
import type { Clock } from '../lib/time.js';
import { errorMessage } from '../lib/errors.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { Verdict } from './clamd/protocol.js';

/** A file the sensor stored: its hash, where it is now, and the `outfile` its event named. */
export interface CapturedFile {
  shasum: string;
  /** Absolute path to read or hand to clamd. */
  path: string;
  /** As written in the capturing event (relative to the data directory). */
  outfile: string;
  /** The session that captured it, so the result is logged with the same identity. */
  identity?: SessionIdentity;
}

/** The fields of a `honeyscope.scan.result` event. */
export interface ScanResultFields {
  shasum: string;
  outfile: string;
  verdict: 'clean' | 'infected' | 'error';
  signatures: string[];
  reason: string | null;
  scanner: string;
}

export interface ScanQueueOptions {
  scan: (path: string) => Promise<Verdict>;
  emit: (fields: ScanResultFields, file: CapturedFile) => Promise<unknown>;
  /** Scans running at once. */
  concurrency?: number;
  /** Files waiting or running; a file beyond this is reported as an error at once, never skipped silently. */
  maxQueued?: number;
  /** Wait before trying a file again while clamd is unreachable or broke off. */
  retryDelayMs?: number;
  /** Tries for a scan interrupted mid-way (timeouts, resets); while clamd cannot be reached at all it is retried without limit. */
  maxInterruptedAttempts?: number;
  /** Named in every result (`clamd 127.0.0.1:3310`). */
  scanner?: string;
  now?: Clock;
  logger?: Logger;
}

export interface ScanQueue {
  /** Queues a file; false when the queue is full (an error result is emitted for it). */
  enqueue(file: CapturedFile): boolean;
  /** Files waiting or being scanned. */
  readonly size: number;
  /** Resolves when nothing is waiting or running. */
  idle(): Promise<void>;
  /** Stops taking files and scanning; returns how many files were left unscanned. */
  close(): Promise<number>;
}

interface Item {
  file: CapturedFile;
  attempts: number;
  notBefore: number;
}

/** Result fields for a verdict. */
export function scanResultFields(file: CapturedFile, verdict: Verdict, scanner: string): ScanResultFields {
  return {
    shasum: file.shasum,
    outfile: file.outfile,
    verdict: verdict.kind,
    signatures: verdict.kind === 'infected' ? verdict.signatures : [],
    reason: verdict.kind === 'error' ? verdict.reason : null,
    scanner,
  };
}

/**
 * A bounded queue of captured files scanned with a concurrency limit. While
 * clamd is down a file waits and is tried again; nothing is reported clean
 * meanwhile. Emitting a result is awaited before the file leaves the queue.
 */
export function createScanQueue(options: ScanQueueOptions): ScanQueue {
  const concurrency = options.concurrency ?? 2;
  const maxQueued = options.maxQueued ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const maxInterrupted = options.maxInterruptedAttempts ?? 3;
  const scanner = options.scanner ?? 'clamd';
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger();
  const waiting: Item[] = [];
  let running = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];

  function total(): number {
    return waiting.length + running;
  }

  function settleIdle(): void {
    if (total() > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function pump(): void {
    if (closed) return;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const at = now();
    while (running < concurrency) {
      const index = waiting.findIndex((item) => item.notBefore <= at);
      if (index === -1) break;
      const [item] = waiting.splice(index, 1);
      running += 1;
      void run(item!);
    }
    if (waiting.length > 0 && running < concurrency) {
      const next = Math.min(...waiting.map((item) => item.notBefore));
      timer = setTimeout(pump, Math.max(0, next - at));
    }
  }

  async function run(item: Item): Promise<void> {
    let verdict: Verdict;
    try {
      verdict = await options.scan(item.file.path);
    } catch (err) {
      verdict = { kind: 'error', reason: `The scanner failed: ${(err as Error).message}`, transient: 'interrupted' };
    }
    item.attempts += 1;
    const retry = verdict.kind === 'error' && (verdict.transient === 'unavailable' || (verdict.transient === 'interrupted' && item.attempts < maxInterrupted));
    if (retry && !closed) {
      item.notBefore = now() + retryDelayMs;
      waiting.push(item);
    } else if (!closed) {
      await emitSafely(item.file, verdict);
    }
    running -= 1;
    pump();
    settleIdle();
  }

  async function emitSafely(file: CapturedFile, verdict: Verdict): Promise<void> {
    try {
      await options.emit(scanResultFields(file, verdict, scanner), file);
    } catch (err) {
      // A failed emit must not stop the queue: count it in the diagnostics and go on.
      logger.error({ shasum: file.shasum, err: errorMessage(err) }, 'scan result could not be emitted');
    }
  }

  return {
    enqueue(file: CapturedFile): boolean {
      if (closed) return false;
      if (total() >= maxQueued) {
        void emitSafely(file, { kind: 'error', reason: `Not scanned: the scan queue is full (${maxQueued} files)` });
        return false;
      }
      waiting.push({ file, attempts: 0, notBefore: 0 });
      pump();
      return true;
    },
    get size(): number {
      return total();
    },
    idle(): Promise<void> {
      if (total() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close(): Promise<number> {
      closed = true;
      if (timer) clearTimeout(timer);
      const left = waiting.length + running;
      waiting.length = 0;
      settleIdle();
      return left;
    },
  };
}
