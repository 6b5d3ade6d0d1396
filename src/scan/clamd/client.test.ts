import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, MARKER, MARKER2, MARKER2_NAME, MARKER_NAME, startClamd, type ClamdInstance } from '../../../test/helpers/clamd.js';
import { ClamdClient } from './client.js';
import type { ClamdAddress } from './clamd-address.js';

let clamd: ClamdInstance;
let files: string;

beforeAll(async () => {
  clamd = await startClamd({ config: { StreamMaxLength: '2M', MaxFileSize: '3M', MaxScanSize: '10M', ReadTimeout: 2 } });
  files = await mkdtemp(join(tmpdir(), 'hs-clamd-files-'));
  await writeFile(join(files, 'clean.txt'), 'hello world\n');
  await writeFile(join(files, 'eicar.com'), eicar());
  await writeFile(join(files, 'clean: Eicar FOUND.txt'), 'nothing to see\n');
  await writeFile(join(files, 'both.txt'), Buffer.concat([eicar(), Buffer.from(` ${MARKER} ${MARKER2}`)]));
  await mkdir(join(files, 'dir/sub'), { recursive: true });
  await writeFile(join(files, 'dir/a.txt'), 'a');
  await writeFile(join(files, 'dir/sub/m.bin'), `xx${MARKER}xx`);
  await writeFile(join(files, 'dir/sub/e.com'), eicar());
});

afterAll(async () => {
  await clamd?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

function clients(): [string, ClamdClient][] {
  const tcp: ClamdAddress = { kind: 'tcp', host: clamd.host, port: clamd.port };
  const unix: ClamdAddress = { kind: 'unix', path: clamd.socketPath };
  return [
    ['tcp', new ClamdClient({ address: tcp, maxFileSize: 0, streamMaxLength: 2 * 1024 * 1024 })],
    ['unix', new ClamdClient({ address: unix, maxFileSize: 0, streamMaxLength: 2 * 1024 * 1024 })],
  ];
}

describe('ClamdClient control commands against a real clamd', () => {
  it('ping() resolves over TCP and the Unix socket', async () => {
    for (const [, client] of clients()) await expect(client.ping()).resolves.toBeUndefined();
  });

  it('version() and versionCommands() return what clamd 1.4.6 says', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    expect(await client.version()).toMatch(/^ClamAV 1\.4\.\d+$/);
    const vc = await client.versionCommands();
    expect(vc.commands).toEqual(expect.arrayContaining(['SCAN', 'INSTREAM', 'IDSESSION', 'ALLMATCHSCAN', 'MULTISCAN', 'CONTSCAN', 'STATS', 'RELOAD']));
  });

  it('stats() returns the report ending in END and reload() gets RELOADING', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    expect(await client.stats()).toMatch(/^POOLS: 1\n[\s\S]*END$/);
    await expect(client.reload()).resolves.toBeUndefined();
    await expect(client.ping()).resolves.toBeUndefined();
  });
});

describe('ClamdClient INSTREAM against a real clamd', () => {
  it('scanBuffer() reports clean, EICAR and our marker with their .UNOFFICIAL names', async () => {
    for (const [, client] of clients()) {
      expect(await client.scanBuffer(Buffer.from('hello world\n'))).toEqual({ kind: 'clean' });
      expect(await client.scanBuffer(eicar())).toEqual({ kind: 'infected', signatures: [EICAR_NAME] });
      expect(await client.scanBuffer(Buffer.from(`..${MARKER}..`))).toEqual({ kind: 'infected', signatures: [MARKER_NAME] });
      expect(await client.scanBuffer(Buffer.alloc(0))).toEqual({ kind: 'clean' });
    }
  });

  it('scanStream() finds EICAR split across tiny chunks', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    const data = eicar();
    async function* pieces(): AsyncGenerator<Uint8Array> {
      yield data.subarray(0, 30);
      yield data.subarray(30, 31);
      yield data.subarray(31);
    }
    expect(await client.scanStream(pieces())).toEqual({ kind: 'infected', signatures: [EICAR_NAME] });
  });

  it('scanStream() reports the size-limit refusal mid-stream instead of a clean verdict', async () => {
    for (const [, client] of clients()) {
      async function* big(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, 0x41);
        yield Buffer.from(MARKER);
      }
      expect(await client.scanStream(big())).toEqual({ kind: 'error', reason: 'INSTREAM size limit exceeded.' });
    }
  });

  it('scanStream() never reports clean over the limit when the limit is not known to the client', async () => {
    const client = new ClamdClient({ address: { kind: 'tcp', host: clamd.host, port: clamd.port }, streamMaxLength: 0 });
    const verdict = await client.scanStream([Buffer.alloc(3 * 1024 * 1024, 0x41)]);
    expect(verdict.kind).toBe('error');
  });

  it('scanStream() reports clamd\'s COMMAND READ TIMED OUT for a stream that stalls, not clean', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    async function* stalling(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('0123456789');
      // Longer than clamd's ReadTimeout (2 s here): clamd gives up on the stream and says so.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      yield Buffer.from('more');
    }
    expect(await client.scanStream(stalling())).toEqual({ kind: 'error', reason: 'COMMAND READ TIMED OUT', transient: 'interrupted' });
  }, 15_000);

  it('scanFileStream() scans a file larger than one chunk and finds the marker at its end', async () => {
    const path = join(files, 'large.bin');
    await writeFile(path, Buffer.concat([Buffer.alloc(1024 * 1024, 0x20), Buffer.from(MARKER)]));
    const [[, client]] = clients() as [[string, ClamdClient]];
    expect(await client.scanFileStream(path)).toEqual({ kind: 'infected', signatures: [MARKER_NAME] });
  });

  it('scanFileStream() refuses a file over MaxFileSize that clamd would skip as OK', async () => {
    const path = join(files, 'over-max.bin');
    await writeFile(path, Buffer.concat([Buffer.from(MARKER), Buffer.alloc(3 * 1024 * 1024)]));
    const tcp = new ClamdClient({ address: { kind: 'unix', path: clamd.socketPath } });
    // What clamd itself says: the file is skipped and reported OK.
    expect(await tcp.scanPath(path)).toEqual({ kind: 'clean' });
    const guarded = new ClamdClient({ address: { kind: 'unix', path: clamd.socketPath }, maxFileSize: 3 * 1024 * 1024 });
    expect(await guarded.scanFileStream(path)).toEqual({
      kind: 'error',
      reason: 'Not scanned: 3145750 bytes is over the MaxFileSize of 3145728 bytes (clamd would skip it and say OK)',
    });
  });

  it('scanFileStream() reports a missing file as an error', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    expect(await client.scanFileStream(join(files, 'nope'))).toEqual({ kind: 'error', reason: `Cannot open "${join(files, 'nope')}": ENOENT` });
  });
});

describe('ClamdClient path scans against a real clamd', () => {
  it('scanPath() parses paths containing ": " and FOUND', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    expect(await client.scanPath(join(files, 'clean: Eicar FOUND.txt'))).toEqual({ kind: 'clean' });
    expect(await client.scanPath(join(files, 'eicar.com'))).toEqual({ kind: 'infected', signatures: [EICAR_NAME] });
  });

  it('scanPath() reports what clamd cannot read as errors, /dev/null included', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    expect(await client.scanPath(join(files, 'nope.txt'))).toEqual({ kind: 'error', reason: 'File path check failure: No such file or directory.' });
    expect(await client.scanPath('/dev/null')).toEqual({ kind: 'error', reason: 'Not supported file type' });
  });

  it('scanPaths(CONTSCAN) lists every infected file of a directory', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    const results = await client.scanPaths(join(files, 'dir'), 'CONTSCAN');
    expect(results.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: join(files, 'dir/sub/e.com'), verdict: { kind: 'infected', signatures: [EICAR_NAME] } },
      { path: join(files, 'dir/sub/m.bin'), verdict: { kind: 'infected', signatures: [MARKER_NAME] } },
    ]);
  });

  it('scanPaths(MULTISCAN) gives the same files in any order', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    const results = await client.scanPaths(join(files, 'dir'), 'MULTISCAN');
    expect(results.map((r) => r.path).sort()).toEqual([join(files, 'dir/sub/e.com'), join(files, 'dir/sub/m.bin')]);
  });

  it('scanPaths(ALLMATCHSCAN) reports every signature of one file', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    const [result] = await client.scanPaths(join(files, 'both.txt'), 'ALLMATCHSCAN');
    expect(result!.verdict.kind).toBe('infected');
    expect((result!.verdict as { signatures: string[] }).signatures.sort()).toEqual([EICAR_NAME, MARKER2_NAME, MARKER_NAME].sort());
  });

  it('scanPaths(CONTSCAN) of a clean directory says OK for the directory', async () => {
    const [, [, client]] = clients() as [unknown, [string, ClamdClient]];
    await mkdir(join(files, 'cleandir'), { recursive: true });
    await writeFile(join(files, 'cleandir/x.txt'), 'x');
    expect(await client.scanPaths(join(files, 'cleandir'), 'CONTSCAN')).toEqual([{ path: join(files, 'cleandir'), verdict: { kind: 'clean' } }]);
  });
});

describe('ClamdSession against a real clamd', () => {
  it('pipelines requests and matches out-of-order replies by id', async () => {
    for (const [, client] of clients()) {
      const session = await client.session();
      const results = await Promise.all([
        session.ping(),
        session.scanBuffer(Buffer.from('clean bytes')),
        session.scanBuffer(eicar()),
        session.scanPath(join(files, 'nope')),
        session.version(),
        session.scanBuffer(Buffer.from(MARKER)),
      ]);
      expect(results).toEqual([
        undefined,
        { kind: 'clean' },
        { kind: 'infected', signatures: [EICAR_NAME] },
        { kind: 'error', reason: 'File path check failure: No such file or directory.' },
        expect.stringMatching(/^ClamAV 1\.4\.\d+$/),
        { kind: 'infected', signatures: [MARKER_NAME] },
      ]);
      await session.close();
      expect(session.open).toBe(false);
    }
  });

  it('ends on a size-limit refusal and reports the requests after it as errors', async () => {
    const [[, client]] = clients() as [[string, ClamdClient]];
    const session = await client.session();
    const big = session.scanBuffer(Buffer.alloc(2 * 1024 * 1024 + 1));
    const after = session.scanBuffer(Buffer.from('clean'));
    const [bigVerdict, afterVerdict] = await Promise.all([big, after]);
    expect(bigVerdict).toEqual({ kind: 'error', reason: 'INSTREAM size limit exceeded.' });
    expect(afterVerdict.kind).toBe('error');
    await session.close();
  });
});
