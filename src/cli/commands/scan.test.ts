import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, startClamd, type ClamdInstance } from '../../../test/helpers/clamd.js';

const CLI = join(import.meta.dirname, '..', 'cli.ts');
// The children run in temp dirs, so the loader is named by its full path.
const TSX = import.meta.resolve('tsx');
let clamd: ClamdInstance;
let dir: string;

beforeAll(async () => {
  clamd = await startClamd();
  dir = await mkdtemp(join(tmpdir(), 'hs-scan-cli-'));
  await writeFile(join(dir, 'clean.txt'), 'hello\n');
  await writeFile(join(dir, 'eicar.com'), eicar());
});

afterAll(async () => {
  await clamd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function honeyscope(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', TSX, CLI, ...args]);
}

describe('honeyscope scan', () => {
  it('prints what clamdscan prints and exits 1 for an infected file, reading clamd.conf', async () => {
    const ours = await honeyscope(['scan', '--config-file', clamd.confPath, '--no-summary', 'clean.txt', 'eicar.com']);
    const theirs = await run('clamdscan', ['--config-file', clamd.confPath, '--no-summary', 'clean.txt', 'eicar.com']);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual({ code: 1, stdout: `${join(dir, 'clean.txt')}: OK\n${join(dir, 'eicar.com')}: ${EICAR_NAME} FOUND\n`, stderr: '' });
  });

  it('--modsec prints 1 only for a clean file', async () => {
    const clamdTcp = `127.0.0.1:${clamd.port}`;
    expect(await honeyscope(['scan', '--clamd', clamdTcp, '--modsec', join(dir, 'clean.txt')])).toEqual({ code: 0, stdout: '1 clamdscan: OK\n', stderr: '' });
    expect(await honeyscope(['scan', '--clamd', clamdTcp, '--modsec', join(dir, 'eicar.com')])).toEqual({ code: 0, stdout: `0 clamdscan: ${EICAR_NAME}\n`, stderr: '' });
  });
});

describe('honeyscope guard', () => {
  let upstream: Server;

  afterAll(async () => {
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('proxies a clean upload and refuses an infected one', async () => {
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('stored'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'guard', '--upstream', `http://127.0.0.1:${upstreamPort}`, '--listen', '127.0.0.1:0', '--clamd', clamd.socketPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /guard on (http:\/\/[^/]+)\//.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`guard exited with ${code}`)));
      });
      const clean = new FormData();
      clean.append('f', new Blob(['fine']), 'fine.txt');
      const ok = await fetch(`${base}/u`, { method: 'POST', body: clean });
      expect([ok.status, await ok.text()]).toEqual([200, 'stored']);
      const bad = new FormData();
      bad.append('f', new Blob([new Uint8Array(eicar())]), 'e.com');
      const refused = await fetch(`${base}/u`, { method: 'POST', body: bad });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ signature: EICAR_NAME, part: 'e.com' });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
