import { createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import { ClamdClient } from './client.js';
import type { ClamdAddress } from './clamd-address.js';

/**
 * A fake clamd for faults a real one will not produce on demand. `behave` gets
 * each connection and the bytes received so far whenever more arrive.
 */
const servers: Server[] = [];
const sockets = new Set<Socket>();

async function fakeClamd(behave: (socket: Socket, received: Buffer) => void): Promise<ClamdAddress> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      behave(socket, received);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { kind: 'tcp', host: '127.0.0.1', port: address.port };
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Replies `reply` once the whole INSTREAM (terminator included) has arrived. */
function afterInstream(act: (socket: Socket) => void): (socket: Socket, received: Buffer) => void {
  return (socket, received) => {
    if (received.length >= 4 && received.subarray(-4).equals(Buffer.alloc(4))) act(socket);
  };
}

const timeouts = { connectTimeoutMs: 300, idleTimeoutMs: 200, totalTimeoutMs: 2000 };

describe('ClamdClient against a faulty server', () => {
  it('a stalled server times out as an error and the socket is destroyed', async () => {
    const address = await fakeClamd(() => undefined);
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({
      kind: 'error',
      reason: `clamd on 127.0.0.1:${address.kind === 'tcp' ? address.port : 0} sent nothing for 200 ms`,
      transient: 'interrupted',
    });
    for (let i = 0; i < 100 && sockets.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sockets.size).toBe(0);
  });

  it('a server that resets a stream mid-upload gives an error that names the likely StreamMaxLength refusal', async () => {
    // Reset, not a reply: what the client sees when clamd's refusal is lost under a failed write.
    const address = await fakeClamd((socket, received) => {
      if (received.length > 64 * 1024) socket.resetAndDestroy();
    });
    const client = new ClamdClient({ address, ...timeouts, streamMaxLength: 0 });
    const verdict = await client.scanStream((function* () {
      for (let i = 0; i < 256; i++) yield Buffer.alloc(64 * 1024, 0x61);
    })());
    expect(verdict).toMatchObject({ kind: 'error', transient: 'interrupted' });
    expect(verdict.kind === 'error' && verdict.reason).toMatch(/failed: (EPIPE|ECONNRESET) \(clamd closed it while data was still being sent, as it does for a stream over its StreamMaxLength\)$/);
  });

  it('a server that trickles bytes hits the total timeout', async () => {
    const address = await fakeClamd((socket) => {
      if (socket.listenerCount('drip') > 0) return;
      socket.on('drip', () => undefined);
      const timer = setInterval(() => socket.writable && socket.write('s'), 50);
      socket.on('close', () => clearInterval(timer));
    });
    const client = new ClamdClient({ address, ...timeouts, idleTimeoutMs: 5000, totalTimeoutMs: 500 });
    const verdict = await client.scanBuffer(Buffer.from('data'));
    expect(verdict.kind).toBe('error');
    expect((verdict as { reason: string }).reason).toMatch(/did not finish within 500 ms/);
  });

  it('a connection that never completes hits the connect timeout through an injected connect', async () => {
    const client = new ClamdClient({ address: { kind: 'tcp', host: '192.0.2.1', port: 3310 }, ...timeouts, connect: () => new Socket() });
    expect(await client.scanBuffer(Buffer.from('x'))).toEqual({ kind: 'error', reason: 'Cannot connect to clamd on 192.0.2.1:3310 within 300 ms', transient: 'unavailable' });
    await expect(client.ping()).rejects.toThrow(new HoneyscopeError('HS_CLAMD_TIMEOUT', 'Cannot connect to clamd on 192.0.2.1:3310 within 300 ms'));
  });

  it('a refused connection is an unavailable error', async () => {
    const address = await fakeClamd(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const client = new ClamdClient({ address, ...timeouts });
    const verdict = await client.scanBuffer(Buffer.from('x'));
    expect(verdict).toEqual({ kind: 'error', reason: `Cannot connect to clamd on ${client.label}: ECONNREFUSED`, transient: 'unavailable' });
  });

  it('a half-close without a reply is an error', async () => {
    const address = await fakeClamd(afterInstream((socket) => socket.end()));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({ kind: 'error', reason: 'clamd closed the connection without a reply', transient: 'interrupted' });
  });

  it('an empty reply is an error', async () => {
    const address = await fakeClamd(afterInstream((socket) => socket.end('\0')));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({ kind: 'error', reason: 'Cannot parse clamd reply "": expected a line ending in OK, FOUND or ERROR' });
  });

  it('garbage is an error', async () => {
    const address = await fakeClamd(afterInstream((socket) => socket.end('\x89PNG garbage OKAY\0')));
    const client = new ClamdClient({ address, ...timeouts });
    const verdict = await client.scanBuffer(Buffer.from('data'));
    expect(verdict.kind).toBe('error');
  });

  it('an OK cut before its terminator is an error, not clean', async () => {
    const address = await fakeClamd(afterInstream((socket) => socket.end('stream: OK')));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({ kind: 'error', reason: 'clamd\'s reply was cut off: "stream: OK"', transient: 'interrupted' });
  });

  it('an OK that clamd does not follow with its close times out as an error', async () => {
    const address = await fakeClamd(afterInstream((socket) => socket.write('stream: OK\0')));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({ kind: 'error', reason: `clamd on ${client.label} sent nothing for 200 ms`, transient: 'interrupted' });
  });

  it('COMMAND READ TIMED OUT is an error', async () => {
    const address = await fakeClamd((socket) => socket.end('COMMAND READ TIMED OUT\n'));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanBuffer(Buffer.from('data'))).toEqual({ kind: 'error', reason: 'COMMAND READ TIMED OUT', transient: 'interrupted' });
  });

  it('an OK for a path scan followed by garbage is an error for that path', async () => {
    const address = await fakeClamd((socket) => socket.end('/x: OK\0???\0'));
    const client = new ClamdClient({ address, ...timeouts });
    expect(await client.scanPaths('/x', 'CONTSCAN')).toEqual([
      { path: '/x', verdict: { kind: 'clean' } },
      { path: '/x', verdict: { kind: 'error', reason: 'Cannot parse clamd reply "???": expected a line ending in OK, FOUND or ERROR' } },
    ]);
  });

  it('ping() rejects a wrong answer with the reply quoted', async () => {
    const address = await fakeClamd((socket) => socket.end('PANG\0'));
    const client = new ClamdClient({ address, ...timeouts });
    await expect(client.ping()).rejects.toThrow(new HoneyscopeError('HS_CLAMD_PROTOCOL', `clamd on ${client.label} answered PING with "PANG": expected "PONG"`));
  });

  it('an IDSESSION that closes with requests open resolves them as errors', async () => {
    const address = await fakeClamd((socket, received) => {
      // Answer the first request only, out of the blue with an unknown id too, then hang up.
      if (received.includes('zPING\0') && !socket.destroyed) {
        socket.write('9: stream: OK\0');
        socket.end('1: PONG\0');
      }
    });
    const client = new ClamdClient({ address, ...timeouts });
    const session = await client.session();
    const [pong, verdict] = await Promise.allSettled([session.ping(), session.scanBuffer(Buffer.from('x'))]);
    expect(pong.status).toBe('fulfilled');
    expect(verdict).toEqual({ status: 'fulfilled', value: { kind: 'error', reason: 'Request 2 of the IDSESSION got no reply: the IDSESSION ended', transient: 'interrupted' } });
    await session.close();
  });

  it('an IDSESSION reply without an id ends the session as an error', async () => {
    const address = await fakeClamd((socket, received) => {
      if (received.includes('zINSTREAM\0')) socket.write('stream: OK\0');
    });
    const client = new ClamdClient({ address, ...timeouts });
    const session = await client.session();
    const verdict = await session.scanBuffer(Buffer.from('x'));
    expect(verdict).toEqual({ kind: 'error', reason: 'Request 1 of the IDSESSION got no reply: clamd sent a reply without a request id: "stream: OK"', transient: 'interrupted' });
  });
});
