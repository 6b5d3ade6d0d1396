import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isHoneyscopeError } from '../lib/errors.js';
import type { ClamdClient } from './clamd/client.js';
import type { PathVerdict, Verdict } from './clamd/protocol.js';
import type { ClamdSession } from './clamd/session.js';

export interface ScanFilesOptions {
  /** IDSESSION connections used side by side. */
  sessions?: number;
  /** Requests in flight per session. */
  window?: number;
  /**
   * `stream` (default) reads each file here and sends it with INSTREAM; `path`
   * sends SCAN with the path, for a clamd on this machine that can read the files.
   */
  mode?: 'stream' | 'path';
}

/**
 * Scans many files fast: requests are pipelined over a few IDSESSIONs and
 * clamd answers them out of order from its thread pool. In `stream` mode small
 * files are read here and sent whole; larger ones get their own streamed connection.
 * Results come back in the order of `paths`.
 */
export async function scanFiles(client: ClamdClient, paths: readonly string[], options: ScanFilesOptions = {}): Promise<PathVerdict[]> {
  const sessionCount = Math.max(1, options.sessions ?? 4);
  const window = Math.max(1, options.window ?? 16);
  const results: PathVerdict[] = new Array<PathVerdict>(paths.length);
  let next = 0;

  async function worker(): Promise<void> {
    let session: ClamdSession | undefined;
    const inFlight = new Set<Promise<void>>();
    try {
      while (next < paths.length) {
        const index = next++;
        const path = paths[index]!;
        if (!session || !session.open) session = await openSession(client);
        const task = (options.mode === 'path' ? scanPathOne(client, session, path) : scanOne(client, session, path)).then((verdict) => {
          results[index] = { path, verdict };
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= window) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    } finally {
      if (session?.open) await session.close();
    }
  }

  await Promise.all(Array.from({ length: Math.min(sessionCount, paths.length) }, () => worker()));
  return results;
}

async function openSession(client: ClamdClient): Promise<ClamdSession | undefined> {
  try {
    return await client.session();
  } catch (err) {
    if (!isHoneyscopeError(err)) throw err;
    // Without a session each file falls back to its own connection, which reports the failure as its verdict.
    return undefined;
  }
}

async function scanPathOne(client: ClamdClient, session: ClamdSession | undefined, path: string): Promise<Verdict> {
  if (!session) return client.scanPath(path);
  const verdict = await session.scanPath(path);
  if (verdict.kind === 'error' && verdict.transient) return client.scanPath(path);
  return verdict;
}

async function scanOne(client: ClamdClient, session: ClamdSession | undefined, path: string): Promise<Verdict> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    return { kind: 'error', reason: `Cannot open "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  // scanFileStream() refuses what is not a regular file without blocking on it.
  if (!session || !info.isFile() || info.size > client.chunkSize) return client.scanFileStream(path);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    return { kind: 'error', reason: `Cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const verdict = await session.scanBuffer(data);
  // A session clamd ended under us (size limit, timeout) is retried once on a connection of its own.
  if (verdict.kind === 'error' && verdict.transient) return client.scanFileStream(path);
  return verdict;
}
