import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, MARKER, MARKER_NAME, startClamd, type ClamdInstance } from '../../test/helpers/clamd.js';
import { ClamdClient } from './clamd/client.js';
import { clamdAddressesFromConf, confSize, readClamdConf } from './clamd/clamd-conf.js';
import { clamdscan, modsecInspect, type ClamdscanOptions } from './clamdscan.js';

let clamd: ClamdInstance;
let dir: string;

beforeAll(async () => {
  clamd = await startClamd({ config: { StreamMaxLength: '1M', MaxFileSize: '20M', MaxScanSize: '20M' } });
  dir = await mkdtemp(join(tmpdir(), 'hs-clamdscan-'));
  await writeFile(join(dir, 'clean.txt'), 'hello\n');
  await writeFile(join(dir, 'eicar.com'), eicar());
  await writeFile(join(dir, 'both.txt'), Buffer.concat([eicar(), Buffer.from(` ${MARKER}`)]));
  await writeFile(join(dir, 'a: b FOUND.txt'), 'fine\n');
  await mkdir(join(dir, 'tree/sub'), { recursive: true });
  await writeFile(join(dir, 'tree/one.txt'), 'one');
  await writeFile(join(dir, 'tree/sub/e.com'), eicar());
  await writeFile(join(dir, 'tree/sub/m.txt'), `..${MARKER}..`);
  await mkdir(join(dir, 'cleantree'));
  await writeFile(join(dir, 'cleantree/x.txt'), 'x');
  // Over StreamMaxLength with the marker at the very end: clamdscan --stream cuts it off and says OK.
  await writeFile(join(dir, 'long.bin'), Buffer.concat([Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from(MARKER)]));
});

afterAll(async () => {
  await clamd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runClamdscan(args: string[], confPath = clamd.confPath): Promise<Run> {
  return new Promise((resolve) => {
    execFile('clamdscan', ['-c', confPath, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function clientsFor(confPath: string): Promise<ClamdClient[]> {
  const conf = await readClamdConf(confPath);
  const streamMaxLength = confSize(conf, 'StreamMaxLength') ?? 0;
  const maxFileSize = confSize(conf, 'MaxFileSize') ?? 0;
  return clamdAddressesFromConf(conf).map((address) => new ClamdClient({ address, streamMaxLength, maxFileSize, connectTimeoutMs: 1000 }));
}

async function runOurs(targets: string[], options: Partial<ClamdscanOptions> = {}, confPath = clamd.confPath): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await clamdscan(targets, { clients: await clientsFor(confPath), stdout, stderr, ...options });
    return { code: result.exitCode, stdout: out, stderr: err };
  } finally {
    process.chdir(cwd);
  }
}

/** The summary's times differ between runs; everything else must match. */
function normalise(text: string): string {
  return text
    .replace(/^Time: \d+\.\d{3} sec \(\d+ m \d+ s\)$/m, 'Time: T')
    .replace(/^Start Date: \d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/m, 'Start Date: D')
    .replace(/^End Date: {3}\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/m, 'End Date:   D');
}

function sortedLines(text: string): string {
  return text.split('\n').sort().join('\n');
}

async function expectSameAsClamdscan(args: string[], options: Partial<ClamdscanOptions>, targets: string[], compare = normalise): Promise<Run> {
  const theirs = await runClamdscan([...args, ...targets]);
  const ours = await runOurs(targets, options);
  expect({ code: ours.code, stdout: compare(normalise(ours.stdout)), stderr: ours.stderr }).toEqual({
    code: theirs.code,
    stdout: compare(normalise(theirs.stdout)),
    stderr: theirs.stderr,
  });
  return ours;
}

describe('clamdscan() compared with the real clamdscan on the same clamd', () => {
  it('prints the same lines, summary and exit code for clean, infected and odd paths', async () => {
    const ours = await expectSameAsClamdscan([], {}, ['clean.txt', 'eicar.com', 'a: b FOUND.txt']);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toContain(`${join(dir, 'eicar.com')}: ${EICAR_NAME} FOUND\n`);
    expect(ours.stdout).toContain(`${join(dir, 'a: b FOUND.txt')}: OK\n`);
  });

  it('reports a missing file on stderr with exit code 2', async () => {
    const ours = await expectSameAsClamdscan([], {}, ['nope.txt', 'clean.txt']);
    expect(ours.code).toBe(2);
    expect(ours.stderr).toBe(`ERROR: Can't access file ${join(dir, 'nope.txt')}\n`);
    expect(ours.stdout).toContain('Total errors: 1\n');
  });

  it('scans directories recursively like CONTSCAN', async () => {
    await expectSameAsClamdscan([], {}, ['tree', 'cleantree'], sortedLines);
  });

  it('--multiscan and --allmatch match clamdscan', async () => {
    await expectSameAsClamdscan(['--multiscan'], { multiscan: true }, ['tree'], sortedLines);
    const ours = await expectSameAsClamdscan(['--allmatch'], { allmatch: true }, ['both.txt'], sortedLines);
    expect(ours.stdout).toContain(`${MARKER_NAME} FOUND`);
  });

  it('-i and --no-summary match clamdscan', async () => {
    await expectSameAsClamdscan(['-i', '--no-summary'], { infectedOnly: true, summary: false }, ['clean.txt', 'tree'], sortedLines);
  });

  it('--stream matches clamdscan on files and directories', async () => {
    await expectSameAsClamdscan(['--stream'], { stream: true }, ['clean.txt', 'eicar.com', 'tree', 'cleantree'], sortedLines);
  });

  it('--stream never cuts a file over StreamMaxLength silently, unlike clamdscan', async () => {
    const theirs = await runClamdscan(['--stream', '--no-summary', 'long.bin']);
    expect(theirs).toEqual({ code: 0, stdout: `${join(dir, 'long.bin')}: OK\n`, stderr: '' });
    const ours = await runOurs(['long.bin'], { stream: true, summary: false });
    expect(ours).toEqual({ code: 2, stdout: `${join(dir, 'long.bin')}: INSTREAM size limit exceeded. ERROR\n`, stderr: '' });
  });

  it('never calls a file over MaxFileSize clean, in either mode, unlike clamdscan', async () => {
    const work = join(dir, 'oversize');
    await mkdir(work);
    // 20M is this clamd's MaxFileSize: it skips the file unread, EICAR at its end included.
    await writeFile(join(work, 'big.com'), Buffer.concat([Buffer.alloc(21 * 1024 * 1024, 0x20), eicar()]));
    const theirs = await runClamdscan(['--no-summary', 'oversize']);
    expect(theirs).toEqual({ code: 0, stdout: `${work}: OK\n`, stderr: '' });
    const line = `${join(work, 'big.com')}: Not scanned: ${21 * 1024 * 1024 + eicar().length} bytes is over the MaxFileSize of ${20 * 1024 * 1024} bytes (clamd would skip it and say OK) ERROR\n`;
    for (const stream of [false, true]) {
      expect(await runOurs(['oversize'], { stream, summary: false })).toEqual({ code: 2, stdout: line, stderr: '' });
      expect(await runOurs(['oversize/big.com'], { stream, summary: false })).toEqual({ code: 2, stdout: line, stderr: '' });
    }
    await rm(work, { recursive: true });
  });

  it('reports a FIFO as not supported instead of waiting on it, alone or in a directory, in either mode', async () => {
    const work = join(dir, 'special');
    await mkdir(work);
    await writeFile(join(work, 'a.txt'), 'fine\n');
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [join(work, 'pipe')], (error) => (error ? reject(error) : resolve())));
    const line = `${join(work, 'pipe')}: Not supported file type ERROR\n`;
    expect(await runOurs(['special/pipe'], { stream: true, summary: false })).toEqual({ code: 2, stdout: line, stderr: '' });
    for (const stream of [false, true]) expect(await runOurs(['special'], { stream, summary: false })).toEqual({ code: 2, stdout: line, stderr: '' });
    expect(await modsecInspect(join(work, 'pipe'), await clientsFor(clamd.confPath))).toBe('0 clamdscan: Not supported file type');
    await rm(work, { recursive: true });
  });

  it('--move and --remove act like clamdscan', async () => {
    for (const who of ['theirs', 'ours'] as const) {
      const work = join(dir, `act-${who}`);
      await mkdir(join(work, 'jail'), { recursive: true });
      await copyFile(join(dir, 'eicar.com'), join(work, 'm.com'));
      await copyFile(join(dir, 'eicar.com'), join(work, 'r.com'));
      const moved = who === 'theirs' ? await runClamdscan([`--move=${join(work, 'jail')}`, '--no-summary', join(work, 'm.com')]) : await runOurs([join(work, 'm.com')], { move: join(work, 'jail'), summary: false });
      expect(moved.stdout).toBe(`${join(work, 'm.com')}: ${EICAR_NAME} FOUND\n${join(work, 'm.com')}: moved to '${join(work, 'jail/m.com')}'\n`);
      const removed = who === 'theirs' ? await runClamdscan(['--remove', '--no-summary', join(work, 'r.com')]) : await runOurs([join(work, 'r.com')], { remove: true, summary: false });
      expect(removed.stdout).toBe(`${join(work, 'r.com')}: ${EICAR_NAME} FOUND\n${join(work, 'r.com')}: Removed.\n`);
      expect((await readdir(work)).sort()).toEqual(['jail']);
      expect(await readdir(join(work, 'jail'))).toEqual(['m.com']);
    }
  });

  it('reports an unreachable clamd like clamdscan, trying the socket then TCP', async () => {
    const confPath = join(dir, 'down.conf');
    await writeFile(confPath, `LocalSocket ${join(dir, 'no.sock')}\nTCPSocket 1\nTCPAddr 127.0.0.1\n`);
    const theirs = await runClamdscan(['clean.txt'], confPath);
    const ours = await runOurs(['clean.txt'], {}, confPath);
    expect({ ...ours, stdout: normalise(ours.stdout) }).toEqual({ ...theirs, stdout: normalise(theirs.stdout) });
    expect(ours.code).toBe(2);
  });

  it('scans standard input as "stream", like clamdscan -', async () => {
    const theirs = await new Promise<Run>((resolve) => {
      const child = execFile('clamdscan', ['-c', clamd.confPath, '--no-summary', '-'], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
      child.stdin!.end(eicar());
    });
    const ours = await runOurs(['-'], { summary: false, stdin: Readable.from([eicar()]) });
    expect(ours).toEqual(theirs);
    expect(ours.stdout).toBe(`stream: ${EICAR_NAME} FOUND\n`);
  });

  it('--json gives one document with every file', async () => {
    const ours = await runOurs(['clean.txt', 'eicar.com', 'nope.txt'], { json: true });
    const doc = JSON.parse(ours.stdout) as Record<string, unknown>;
    expect(ours.code).toBe(1);
    expect(doc).toMatchObject({
      infected: 1,
      errors: 1,
      exitCode: 1,
      files: [
        { path: join(dir, 'clean.txt'), verdict: 'clean', signatures: [], reason: null },
        { path: join(dir, 'eicar.com'), verdict: 'infected', signatures: [EICAR_NAME], reason: null },
        { path: join(dir, 'nope.txt'), verdict: 'error', signatures: [], reason: `Can't access file ${join(dir, 'nope.txt')}` },
      ],
    });
    expect(ours.stderr).toBe('');
  });
});

describe('modsecInspect()', () => {
  it('prints 1 only for a definite clean file and 0 for anything else', async () => {
    const clients = await clientsFor(clamd.confPath);
    expect(await modsecInspect(join(dir, 'clean.txt'), clients)).toBe('1 clamdscan: OK');
    expect(await modsecInspect(join(dir, 'eicar.com'), clients)).toBe(`0 clamdscan: ${EICAR_NAME}`);
    expect(await modsecInspect(join(dir, 'long.bin'), clients)).toBe('0 clamdscan: INSTREAM size limit exceeded.');
    expect(await modsecInspect(join(dir, 'nope'), clients)).toBe(`0 clamdscan: Cannot open "${join(dir, 'nope')}": ENOENT`);
    const down = [new ClamdClient({ address: { kind: 'unix', path: join(dir, 'no.sock') } })];
    expect(await modsecInspect(join(dir, 'clean.txt'), down)).toBe('0 clamdscan: Could not connect to clamd');
  });
});
