import { copyFile, lstat, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isHoneyscopeError } from '../lib/errors.js';
import { isLocalClamd } from './clamd/clamd-address.js';
import type { ClamdClient, PathScanMode } from './clamd/client.js';
import { NOT_SUPPORTED, type PathVerdict } from './clamd/protocol.js';
import { scanFiles } from './scan-files.js';
import { clamdscanExitCode, connectErrorLine, modsecLine, scanSummary, verdictLines } from './scan-report.js';

export interface ClamdscanOptions {
  /** Tried in order until one answers PING (clamdscan: LocalSocket, then TCP). */
  clients: ClamdClient[];
  /** INSTREAM every file (read here) instead of letting clamd open the paths. */
  stream?: boolean;
  /** MULTISCAN, or parallel INSTREAMs with --stream. */
  multiscan?: boolean;
  /** ALLMATCHSCAN: every signature that matches, not the first. */
  allmatch?: boolean;
  /** Print only infected files (and errors). */
  infectedOnly?: boolean;
  /** Print the SCAN SUMMARY block (default true). */
  summary?: boolean;
  /** Move infected files into this directory. */
  move?: string;
  /** Delete infected files. */
  remove?: boolean;
  /** One JSON document instead of clamdscan's lines. */
  json?: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read for the target `-`. */
  stdin?: AsyncIterable<Uint8Array>;
  now?: () => number;
}

export interface ClamdscanResult {
  exitCode: number;
  infected: number;
  errors: number;
  files: PathVerdict[];
}

const PARALLEL_SESSIONS = 4;

/** Errors found here rather than by clamd: clamdscan prints them on stderr. */
const LOCAL_ERRORS = new WeakSet<PathVerdict>();

/**
 * Scans files and directories as `clamdscan` does, with its output and exit
 * codes (0 clean, 1 infected, 2 error), except that a stream over clamd's
 * limit is an error rather than silently cut.
 */
export async function clamdscan(targets: string[], options: ClamdscanOptions): Promise<ClamdscanResult> {
  const now = options.now ?? Date.now;
  const startMs = now();
  const files: PathVerdict[] = [];
  let infected = 0;
  let errors = 0;
  const out = (line: string): void => {
    if (!options.json) options.stdout.write(`${line}\n`);
  };
  const err = (line: string): void => {
    if (!options.json) options.stderr.write(`${line}\n`);
  };

  const client = await firstReachable(options.clients, err);
  if (!client) {
    errors = Math.max(1, targets.length);
    for (const target of targets) files.push({ path: target, verdict: { kind: 'error', reason: 'Could not connect to clamd', transient: 'unavailable' } });
  } else {
    const stream = options.stream === true || !isLocalClamd(client.address);
    for (const target of targets) {
      for (const result of await scanTarget(client, target, { ...options, stream })) {
        files.push(result);
        const { path, verdict } = result;
        if (verdict.kind === 'error' && (verdict.transient || LOCAL_ERRORS.has(result))) {
          err(`ERROR: ${verdict.reason}`);
          errors += 1;
          continue;
        }
        for (const line of verdictLines(path, verdict, options)) out(line);
        if (verdict.kind === 'error') errors += 1;
        if (verdict.kind === 'infected') {
          infected += 1;
          const action = await actOnInfected(path, options);
          if (action.startsWith('ERROR: ')) {
            err(action);
            errors += 1;
          } else if (action) {
            out(action);
          }
        }
      }
    }
  }

  const endMs = now();
  const exitCode = clamdscanExitCode(infected, errors);
  if (options.json) {
    options.stdout.write(`${JSON.stringify({ files: files.map(jsonFile), infected, errors, exitCode, startMs, endMs })}\n`);
  } else if (options.summary !== false) {
    options.stdout.write(scanSummary({ infected, errors, startMs, endMs }));
  }
  return { exitCode, infected, errors, files };
}

/**
 * mod_security's `@inspectFile`: scans one file with INSTREAM (so clamd needs
 * no access to the upload) and returns the line to print, `1 ...` only when clean.
 */
export async function modsecInspect(path: string, clients: ClamdClient[]): Promise<string> {
  const client = await firstReachable(clients, () => undefined);
  if (!client) return modsecLine({ kind: 'error', reason: 'Could not connect to clamd' });
  return modsecLine(await client.scanFileStream(path));
}

function jsonFile(file: PathVerdict): Record<string, unknown> {
  const { verdict } = file;
  return {
    path: file.path,
    verdict: verdict.kind,
    signatures: verdict.kind === 'infected' ? verdict.signatures : [],
    reason: verdict.kind === 'error' ? verdict.reason : null,
  };
}

async function firstReachable(clients: ClamdClient[], err: (line: string) => void): Promise<ClamdClient | undefined> {
  for (const client of clients) {
    try {
      await client.ping();
      return client;
    } catch (error) {
      if (!isHoneyscopeError(error)) throw error;
      const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message;
      err(connectErrorLine(client.address, code));
    }
  }
  return undefined;
}

async function scanTarget(client: ClamdClient, target: string, options: ClamdscanOptions & { stream: boolean }): Promise<PathVerdict[]> {
  if (target === '-') {
    if (!options.stdin) return [{ path: 'stream', verdict: { kind: 'error', reason: 'No standard input to scan' } }];
    return [{ path: 'stream', verdict: await client.scanStream(options.stdin) }];
  }
  const absolute = resolve(target);
  let path: string;
  let isDirectory: boolean;
  try {
    path = await realpath(absolute);
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    const missing: PathVerdict = { path: absolute, verdict: { kind: 'error', reason: `Can't access file ${absolute}` } };
    LOCAL_ERRORS.add(missing);
    return [missing];
  }
  if (!options.stream) {
    const mode: PathScanMode = options.allmatch ? 'ALLMATCHSCAN' : options.multiscan ? 'MULTISCAN' : 'CONTSCAN';
    const found = await client.scanPaths(path, mode);
    const unread = await unreadByClamd(client, path, isDirectory);
    if (unread.length === 0) return found;
    // clamd's "PATH: OK" covered files it skipped: those are errors, and the rest is not all clean.
    return [...found.filter((result) => result.verdict.kind !== 'clean'), ...unread];
  }
  if (!isDirectory) return [{ path, verdict: await client.scanFileStream(path) }];
  const files: string[] = [];
  for await (const file of walk(path)) files.push(file);
  const scanned = await scanFiles(client, files, options.multiscan ? { sessions: PARALLEL_SESSIONS, window: 16 } : { sessions: 1, window: 1 });
  // As clamd's CONTSCAN: a directory lists its infected files and errors, or itself as OK.
  const found = scanned.filter((result) => result.verdict.kind !== 'clean');
  return found.length > 0 ? found : [{ path, verdict: { kind: 'clean' } }];
}

/**
 * Files under `dir`, depth first in name order: regular ones, and devices,
 * FIFOs and sockets, which scanning reports as not supported rather than
 * passing over in silence. Symlinks are not followed (clamd's default).
 */
async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (!entry.isSymbolicLink()) yield path;
  }
}

/**
 * What clamd passes over while scanning `path` itself yet answers OK for:
 * files over its MaxFileSize, and the devices, FIFOs and sockets in a
 * directory (a special file named on its own, clamd refuses itself).
 */
async function unreadByClamd(client: ClamdClient, path: string, isDirectory: boolean): Promise<PathVerdict[]> {
  const unread: PathVerdict[] = [];
  for await (const file of isDirectory ? walk(path) : [path]) {
    let info;
    try {
      info = await lstat(file);
    } catch {
      continue;
    }
    const verdict = info.isFile() ? client.skippedBySize(info.size) : isDirectory ? NOT_SUPPORTED : undefined;
    if (verdict) unread.push({ path: file, verdict });
  }
  return unread;
}

/** Moves or removes an infected file; returns clamdscan's line for it ('' when neither was asked). */
async function actOnInfected(path: string, options: ClamdscanOptions): Promise<string> {
  if (options.move) {
    const target = join(resolve(options.move), basename(path));
    try {
      await moveFile(path, target);
    } catch (error) {
      return `ERROR: Can't move file ${path} to ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    return `${path}: moved to '${target}'`;
  }
  if (options.remove) {
    try {
      await unlink(path);
    } catch (error) {
      return `ERROR: Can't unlink file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    return `${path}: Removed.`;
  }
  return '';
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}
