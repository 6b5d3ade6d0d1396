import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { fetchUrl, type FetchUrlOptions } from './fetch-url.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let dataDir: string;
let server: Server;
let port: number;
const seen: Array<{ url: string | undefined; host: string | undefined }> = [];
const routes = new Map<string, Handler>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'honeyscope-fetch-'));
  server = createServer((req, res) => {
    seen.push({ url: req.url, host: req.headers.host });
    const path = (req.url ?? '/').split('?')[0] as string;
    const redirect = /^\/r\/(\d+)$/.exec(path);
    if (redirect) {
      const n = Number(redirect[1]);
      res.writeHead(302, { Location: n <= 1 ? '/file' : `/r/${n - 1}` }).end();
      return;
    }
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  routes.set('/file', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/x-sh' }).end('#!/bin/sh\necho pwned\n'));
  routes.set('/big', (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 0x41));
    res.end();
  });
  routes.set('/big-declared', (_req, res) => res.writeHead(200, { 'Content-Length': '5000' }).end(Buffer.alloc(5000)));
  routes.set('/stall', (_req, res) => {
    res.writeHead(200);
    res.write('partial');
  });
  routes.set('/to-private', (_req, res) => res.writeHead(301, { Location: 'http://10.0.0.1/x' }).end());
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

function options(download: Record<string, unknown> = {}, extra: Partial<FetchUrlOptions> = {}): FetchUrlOptions {
  const config = configSchema.parse({ download: { mode: 'fetch', allow: ['127.0.0.1/32'], ...download } });
  return { download: config.download, dataDir, ...extra };
}

function unreachableResolver(): (host: string) => Promise<string[]> {
  return function resolve(host: string): Promise<string[]> {
    return Promise.reject(new Error(`resolver must not be called for ${host}`));
  };
}

describe('fetchUrl()', () => {
  it('downloads into the artifact store and reports its hash', async () => {
    const result = await fetchUrl(`http://127.0.0.1:${port}/file`, options());
    const sha = createHash('sha256').update('#!/bin/sh\necho pwned\n').digest('hex');
    expect(result).toMatchObject({ ok: true, status: 200, address: '127.0.0.1', contentType: 'text/x-sh' });
    if (!result.ok) return;
    expect(result.artifact).toMatchObject({ shasum: sha, outfile: `downloads/${sha}`, size: 21 });
    expect(await readFile(join(dataDir, 'downloads', sha), 'utf8')).toBe('#!/bin/sh\necho pwned\n');
  });

  it('resolves a name once, connects to the validated address and sends the name as Host', async () => {
    const asked: string[] = [];
    const resolve = (host: string): Promise<string[]> => {
      asked.push(host);
      return Promise.resolve(['127.0.0.1']);
    };
    seen.length = 0;
    const result = await fetchUrl(`http://files.example:${port}/r/2`, options({}, { resolve }));
    expect(result.ok).toBe(true);
    expect(seen.map((s) => s.host)).toEqual([`files.example:${port}`, `files.example:${port}`, `files.example:${port}`]);
    expect(asked).toEqual(['files.example', 'files.example', 'files.example']);
  });

  it('follows download.maxRedirects redirects and refuses one more', async () => {
    expect((await fetchUrl(`http://127.0.0.1:${port}/r/5`, options())).ok).toBe(true);
    expect(await fetchUrl(`http://127.0.0.1:${port}/r/6`, options())).toEqual({
      ok: false,
      url: `http://127.0.0.1:${port}/r/6`,
      stage: 'http',
      reason: 'more than 5 redirects',
    });
  });

  it('stops a body past download.maxBytes and keeps nothing', async () => {
    const before = await readdir(join(dataDir, 'downloads'));
    expect(await fetchUrl(`http://127.0.0.1:${port}/big`, options({ maxBytes: 4000 }))).toMatchObject({
      ok: false,
      stage: 'limit',
      reason: 'body exceeds download.maxBytes 4000',
    });
    expect(await fetchUrl(`http://127.0.0.1:${port}/big-declared`, options({ maxBytes: 4000 }))).toMatchObject({
      ok: false,
      stage: 'limit',
      reason: 'Content-Length 5000 exceeds download.maxBytes 4000',
    });
    expect(await readdir(join(dataDir, 'downloads'))).toEqual(before);
  });

  it('gives up on a server that stalls after download.timeoutMs', async () => {
    const started = performance.now();
    expect(await fetchUrl(`http://127.0.0.1:${port}/stall`, options({ timeoutMs: 200 }))).toMatchObject({
      ok: false,
      stage: 'limit',
      reason: 'timed out after 200 ms',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports an HTTP error status', async () => {
    expect(await fetchUrl(`http://127.0.0.1:${port}/nothing`, options())).toMatchObject({ ok: false, stage: 'http', reason: 'HTTP 404 Not Found' });
  });

  it('refuses 127.0.0.1 when download.allow does not cover it, without connecting', async () => {
    seen.length = 0;
    expect(await fetchUrl(`http://127.0.0.1:${port}/file`, options({ allow: [] }))).toMatchObject({
      ok: false,
      stage: 'refused',
      reason: 'address 127.0.0.1 is loopback',
    });
    expect(seen).toEqual([]);
  });

  it('refuses the metadata service and private addresses by validation alone', async () => {
    const noDns = { resolve: unreachableResolver() };
    expect(await fetchUrl('http://169.254.169.254/latest/meta-data/', options({}, noDns))).toMatchObject({
      ok: false,
      stage: 'refused',
      reason: 'address 169.254.169.254 is a cloud metadata service',
    });
    expect(await fetchUrl('http://10.0.0.1/x', options({}, noDns))).toMatchObject({ ok: false, stage: 'refused', reason: 'address 10.0.0.1 is private' });
    expect(await fetchUrl('http://[fd00:ec2::254]/', options({}, noDns))).toMatchObject({ ok: false, reason: 'address fd00:ec2::254 is a cloud metadata service' });
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const resolve = (): Promise<string[]> => Promise.resolve(['93.184.216.34', '10.0.0.1']);
    expect(await fetchUrl('http://rebind.example/x', options({}, { resolve }))).toMatchObject({ ok: false, stage: 'refused', reason: 'address 10.0.0.1 is private' });
  });

  it('re-validates each redirect hop and refuses one to a private address', async () => {
    expect(await fetchUrl(`http://127.0.0.1:${port}/to-private`, options())).toMatchObject({ ok: false, stage: 'refused', reason: 'address 10.0.0.1 is private' });
  });

  it('reports a name that does not resolve', async () => {
    const resolve = (): Promise<string[]> => Promise.reject(new Error('getaddrinfo ENOTFOUND nowhere.example'));
    expect(await fetchUrl('http://nowhere.example/x', options({}, { resolve }))).toMatchObject({
      ok: false,
      stage: 'resolve',
      reason: 'cannot resolve nowhere.example: getaddrinfo ENOTFOUND nowhere.example',
    });
  });

  it('refuses schemes other than http and https', async () => {
    expect(await fetchUrl('ftp://1.2.3.4/x', options())).toMatchObject({ ok: false, stage: 'unsupported', reason: 'scheme ftp: is not fetched' });
  });
});

describe('fetchUrl() over https', () => {
  let tlsServer: HttpsServer;
  let tlsPort: number;
  let certDir: string;
  const names: Array<string | false | null> = [];

  beforeAll(async () => {
    certDir = await mkdtemp(join(tmpdir(), 'honeyscope-cert-'));
    const key = join(certDir, 'key.pem');
    const cert = join(certDir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=files.example', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    tlsServer = createTlsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
      names.push((req.socket as TLSSocket).servername);
      res.writeHead(200).end('tls payload');
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });

  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((resolve) => tlsServer.close(resolve));
    await rm(certDir, { recursive: true, force: true });
  });

  it('connects to the pinned address and sends the name as SNI', async () => {
    const resolve = (): Promise<string[]> => Promise.resolve(['127.0.0.1']);
    const result = await fetchUrl(`https://files.example:${tlsPort}/x`, options({}, { resolve }));
    expect(result).toMatchObject({ ok: true, address: '127.0.0.1' });
    expect(names).toEqual(['files.example']);
  });
});
