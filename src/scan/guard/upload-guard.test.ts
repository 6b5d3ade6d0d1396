import { createHash } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, MARKER, MARKER_NAME, startClamd, type ClamdInstance } from '../../../test/helpers/clamd.js';
import { ClamdClient } from '../clamd/client.js';
import { createUploadGuard, type UploadGuard, type UploadGuardOptions } from './upload-guard.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let clamd: ClamdInstance;
let upstream: Server;
let upstreamUrl: URL;
const received: Received[] = [];
const guards: { server: Server; guard: UploadGuard }[] = [];

beforeAll(async () => {
  clamd = await startClamd({ config: { StreamMaxLength: '1M' } });
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address() as { port: number };
  upstreamUrl = new URL(`http://127.0.0.1:${address.port}/app`);
});

afterAll(async () => {
  for (const { server, guard } of guards) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await guard.close();
  }
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await clamd?.stop();
});

async function startGuard(options: Partial<UploadGuardOptions> = {}): Promise<string> {
  const scanner = new ClamdClient({ address: { kind: 'unix', path: clamd.socketPath }, streamMaxLength: 1024 * 1024 });
  const guard = await createUploadGuard({ upstream: upstreamUrl, scanner, maxBodyBytes: 4 * 1024 * 1024, ...options });
  const server = createServer((req, res) => guard.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  guards.push({ server, guard });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function allBytes(): Uint8Array {
  return Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256);
}

describe('upload guard with a real clamd and real multipart uploads', () => {
  it('passes a clean upload on with its body byte for byte', async () => {
    const base = await startGuard();
    const form = new FormData();
    form.append('title', 'holiday photos');
    form.append('file', new Blob([new Uint8Array(allBytes())]), 'photo.bin');
    received.length = 0;
    const res = await fetch(`${base}/upload?x=1`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    const { sha256, bytes } = (await res.json()) as { sha256: string; bytes: number };
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/app/upload?x=1');
    expect(got.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(got.headers['content-length'])).toBe(bytes);
    // The body upstream is the multipart body the client sent, unchanged.
    const sent = Buffer.from(await new Response(form).arrayBuffer());
    expect(sent.length).toBe(bytes);
    expect(got.body.includes(Buffer.from(allBytes()))).toBe(true);
    expect(createHash('sha256').update(got.body).digest('hex')).toBe(sha256);
  });

  it('refuses an infected file part with 403 naming the signature and the part', async () => {
    const base = await startGuard();
    const form = new FormData();
    form.append('note', 'see attachment');
    form.append('attachment', new Blob([new Uint8Array(eicar())]), 'eicar.com');
    received.length = 0;
    const res = await fetch(`${base}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Upload refused: infected', signature: EICAR_NAME, signatures: [EICAR_NAME], part: 'eicar.com' });
    expect(received).toEqual([]);
  });

  it('scans a raw request body too', async () => {
    const base = await startGuard();
    received.length = 0;
    const res = await fetch(`${base}/put`, { method: 'PUT', body: `data ${MARKER} data`, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ signature: MARKER_NAME, part: 'body' });
    const clean = await fetch(`${base}/put`, { method: 'PUT', body: 'plain data' });
    expect(clean.status).toBe(201);
    expect(received.map((r) => r.body.toString())).toEqual(['plain data']);
  });

  it('scans what the application decodes: URL-encoded form values and base64 multipart parts', async () => {
    const base = await startGuard();
    received.length = 0;
    // EICAR percent-encoded is no longer EICAR on the wire; URLSearchParams encodes it the way browsers do.
    const form = new URLSearchParams({ note: 'hello world', payload: eicar().toString('latin1') });
    const encoded = await fetch(`${base}/form`, { method: 'POST', body: form });
    expect(encoded.status).toBe(403);
    expect(await encoded.json()).toMatchObject({ signature: EICAR_NAME, part: 'payload' });
    const boundary = 'b0undary';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="a.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      // MIME's 76-character lines.
      ...(eicar().toString('base64').match(/.{1,76}/g) ?? []),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const mime = await fetch(`${base}/upload`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(mime.status).toBe(403);
    expect(await mime.json()).toMatchObject({ signature: EICAR_NAME, part: 'a.bin' });
    const clean = await fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ q: '100% pure + simple', r: '%zz' }) });
    expect(clean.status).toBe(201);
    expect(received.map((r) => r.body.toString())).toEqual(['q=100%25+pure+%2B+simple&r=%25zz']);
  });

  it('answers 413 for a body over the limit, declared or chunked', async () => {
    const base = await startGuard({ maxBodyBytes: 64 * 1024 });
    received.length = 0;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(100 * 1024)]), 'big.bin');
    const declared = await fetch(`${base}/upload`, { method: 'POST', body: form });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'Request body too large', limit: 65536 });
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/upload`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(16 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(received).toEqual([]);
  });

  it('fails closed with 503 when clamd refuses a part over its StreamMaxLength', async () => {
    const base = await startGuard();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(2 * 1024 * 1024)]), 'large.iso');
    received.length = 0;
    const res = await fetch(`${base}/upload`, { method: 'POST', body: form });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'Upload not scanned: the scanner failed', reason: 'INSTREAM size limit exceeded.', part: 'large.iso' });
    expect(received).toEqual([]);
  });

  it('fails closed with 503 when clamd is down, and passes with failOpen', async () => {
    const down = new ClamdClient({ address: { kind: 'unix', path: join(clamd.dir, 'absent.sock') } });
    const closed = await startGuard({ scanner: down });
    const form = new FormData();
    form.append('file', new Blob(['harmless']), 'a.txt');
    received.length = 0;
    const refused = await fetch(`${closed}/upload`, { method: 'POST', body: form });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: 'Upload not scanned: the scanner failed',
      reason: `Cannot connect to clamd on LocalSocket ${join(clamd.dir, 'absent.sock')}: ENOENT`,
      part: 'a.txt',
    });
    expect(received).toEqual([]);
    const open = await startGuard({ scanner: down, failOpen: true });
    const passed = await fetch(`${open}/upload`, { method: 'POST', body: form });
    expect(passed.status).toBe(201);
    expect(received).toHaveLength(1);
  });

  it('answers 400 for a multipart body that does not parse', async () => {
    const base = await startGuard();
    const res = await fetch(`${base}/upload`, { method: 'POST', body: '--b\r\nno colon here\r\n\r\nx\r\n--b--', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Malformed multipart body', reason: 'Cannot parse the multipart part header "no colon here": expected "Name: value"' });
  });

  it('passes a GET without a body straight on, without asking clamd', async () => {
    const down = new ClamdClient({ address: { kind: 'unix', path: join(clamd.dir, 'absent.sock') } });
    const base = await startGuard({ scanner: down });
    received.length = 0;
    const res = await fetch(`${base}/page`);
    expect(res.status).toBe(201);
    expect(received.map((r) => [r.method, r.url, r.body.length])).toEqual([['GET', '/app/page', 0]]);
  });
});
