import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real clamd (Debian's clamav-daemon) with a private clamd.conf and its own
 * signature database in a temp dir, on a random loopback TCP port and a Unix
 * socket. Nothing is downloaded: the database holds EICAR and our markers.
 */
export interface ClamdInstance {
  dir: string;
  confPath: string;
  dbDir: string;
  socketPath: string;
  host: string;
  port: number;
  pid: number;
  /** Everything clamd printed (its log is echoed with Foreground yes). */
  output(): string;
  stop(): Promise<void>;
}

/** The EICAR test file, assembled at run time so the source itself is not a detection. */
export function eicar(): Buffer {
  return Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''), 'latin1');
}

/** Bytes our database detects anywhere in a file, as `Honeyscope.Test.Marker.UNOFFICIAL`. */
export const MARKER = 'HONEYSCOPE-TEST-MARKER';
/** A second marker (`Honeyscope.Test.Marker2.UNOFFICIAL`), for ALLMATCHSCAN. */
export const MARKER2 = 'HONEYSCOPE-SECOND-MARKER';

/** Detection names as clamd 1.4.6 reports signatures from a custom database. */
export const EICAR_NAME = 'Eicar-Test-Signature.UNOFFICIAL';
export const MARKER_NAME = 'Honeyscope.Test.Marker.UNOFFICIAL';
export const MARKER2_NAME = 'Honeyscope.Test.Marker2.UNOFFICIAL';

function hex(data: Buffer | string): string {
  return Buffer.from(data).toString('hex');
}

export interface StartClamdOptions {
  /** Extra clamd.conf lines, e.g. `{ StreamMaxLength: '2M', MaxFileSize: '1M' }`. */
  config?: Record<string, string | number>;
  /** Where the Unix socket goes (default: clamd.sock in the temp dir). */
  socketPath?: string;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Cannot find a free port');
  return address.port;
}

function ping(options: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(options);
    let text = '';
    socket.setTimeout(1000);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => socket.destroy());
    socket.on('close', () => resolve(text === 'PONG\0'));
    socket.on('connect', () => socket.write('zPING\0'));
  });
}

export async function startClamd(options: StartClamdOptions = {}): Promise<ClamdInstance> {
  let lastError: unknown;
  // The port is chosen free but could be taken before clamd binds it: try again with another.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(options: StartClamdOptions): Promise<ClamdInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-clamd-'));
  const dbDir = join(dir, 'db');
  await mkdir(dbDir);
  await writeFile(
    join(dbDir, 'honeyscope-test.ndb'),
    [
      `Eicar-Test-Signature:0:*:${hex(eicar())}`,
      `Honeyscope.Test.Marker:0:*:${hex(MARKER)}`,
      `Honeyscope.Test.Marker2:0:*:${hex(MARKER2)}`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const socketPath = options.socketPath ?? join(dir, 'clamd.sock');
  const confPath = join(dir, 'clamd.conf');
  const settings: Record<string, string | number> = {
    Foreground: 'yes',
    TCPSocket: port,
    TCPAddr: '127.0.0.1',
    LocalSocket: socketPath,
    LocalSocketMode: '666',
    FixStaleSocket: 'yes',
    DatabaseDirectory: dbDir,
    LogFile: join(dir, 'clamd.log'),
    PidFile: join(dir, 'clamd.pid'),
    StreamMaxLength: '25M',
    MaxThreads: 8,
    SelfCheck: 3600,
    ...options.config,
  };
  await writeFile(confPath, Object.entries(settings).map(([key, value]) => `${key} ${value}\n`).join(''));
  const child: ChildProcess = spawn('clamd', ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  async function stop(): Promise<void> {
    if (running) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!running) {
      await stop();
      throw new Error(`clamd exited before answering PING:\n${output}`);
    }
    if ((await ping({ path: socketPath })) && (await ping({ host: '127.0.0.1', port }))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`clamd did not answer PING within 15 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { dir, confPath, dbDir, socketPath, host: '127.0.0.1', port, pid: child.pid!, output: () => output, stop };
}
