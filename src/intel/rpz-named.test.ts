import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbIntelStore } from '../store/intel/duckdb-intel-store.js';
import { exportIntel } from './export-intel.js';
import type { IntelRecord } from './indicator.js';
import type { IntelStore } from './intel-store.js';

const run = promisify(execFile);

/** A port free on 127.0.0.1 for both TCP and UDP (named needs both). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

async function dig(port: number, name: string): Promise<{ status: string; answer: string[] }> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+noall', '+comments', '+answer', name, 'A']);
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NONE';
  const answer = stdout.split('\n').filter((l) => l !== '' && !l.startsWith(';')).map((l) => l.split(/\s+/).slice(3).join(' '));
  return { status, answer };
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await probe();
      if (ok(value)) return value;
    } catch (err) {
      failure = err;
    }
    if (Date.now() > end) {
      if (value !== undefined) return value;
      throw failure instanceof Error ? failure : new Error('Timed out waiting for named');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const rec = (indicator: string, type: IntelRecord['type'] = 'domain'): IntelRecord => ({ indicator, type, meta: { source: 'lab', pulseId: '', active: true } });

let dir: string;
let port: number;
let named: ChildProcess | undefined;
let store: IntelStore;
let stderr = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-named-'));
  await chmod(dir, 0o755);
  port = await freePort();
  store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
  await writeFile(join(dir, 'test.db'), [
    '$TTL 60',
    '@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60',
    '  IN NS ns.test.',
    'ns A 127.0.0.1',
    'bad A 192.0.2.66',
    'www.bad A 192.0.2.67',
    'good.bad A 192.0.2.77',
    'newbad A 192.0.2.88',
    'clean A 192.0.2.99',
    '',
  ].join('\n'));
  await writeFile(join(dir, 'named.conf'), `
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion yes;
  allow-query { 127.0.0.0/8; };
  allow-recursion { 127.0.0.0/8; };
  dnssec-validation no;
  notify no;
  response-policy { zone "rpz.local" policy given log yes; } min-update-interval 0 qname-wait-recurse no break-dnssec yes;
};
controls { };
zone "test" { type primary; file "test.db"; };
zone "rpz.local" { type primary; file "rpz.local.db"; allow-query { none; }; };
`);
});

afterAll(async () => {
  if (named && named.exitCode === null) {
    const exited = new Promise((resolve) => named!.once('exit', resolve));
    named.kill('SIGTERM');
    await exited;
  }
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('exportIntel() with a running named', () => {
  it('exportIntel() writes an RPZ that named serves: NXDOMAIN for listed names, real answers for whitelisted ones, and a re-export after SIGHUP', async () => {
    const zone = join(dir, 'rpz.local.db');
    await store.upsert([rec('bad.test'), rec('good.bad.test'), rec('192.0.2.99', 'ipv4')]);
    const first = await exportIntel(store, { format: 'rpz', path: zone, whitelist: ['good.bad.test'], now: Date.parse('2026-11-28T18:00:00Z') });
    expect(first.suppressed).toEqual([{ indicator: 'good.bad.test', type: 'domain', rule: 'good.bad.test' }]);
    expect((await run('named-checkzone', ['rpz.local', zone])).stdout).toContain('OK');

    named = spawn('named', ['-g', '-c', join(dir, 'named.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    named.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const ready = await until(() => dig(port, 'clean.test'), (r) => r.status === 'NOERROR', 20_000);
    expect(ready, stderr).toEqual({ status: 'NOERROR', answer: ['A 192.0.2.99'] });

    expect((await dig(port, 'bad.test')).status).toBe('NXDOMAIN');
    expect((await dig(port, 'www.bad.test')).status).toBe('NXDOMAIN');
    expect(await dig(port, 'good.bad.test')).toEqual({ status: 'NOERROR', answer: ['A 192.0.2.77'] });
    expect(await dig(port, 'newbad.test')).toEqual({ status: 'NOERROR', answer: ['A 192.0.2.88'] });

    await store.upsert([rec('newbad.test')]);
    const second = await exportIntel(store, { format: 'rpz', path: zone, whitelist: ['good.bad.test'], now: Date.parse('2026-11-28T18:00:00Z') });
    expect(second.serial).toBe(first.serial! + 1);
    expect(await readFile(zone, 'utf8')).toContain(`hostmaster.localhost. ${second.serial} `);
    expect((await run('named-checkzone', ['rpz.local', zone])).stdout).toContain('OK');
    named.kill('SIGHUP');
    const after = await until(() => dig(port, 'newbad.test'), (r) => r.status === 'NXDOMAIN', 20_000);
    expect(after.status, stderr).toBe('NXDOMAIN');
    expect(await dig(port, 'good.bad.test')).toEqual({ status: 'NOERROR', answer: ['A 192.0.2.77'] });
  });
});
