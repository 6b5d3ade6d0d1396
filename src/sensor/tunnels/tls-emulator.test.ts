import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { createRecordingTunnelIo } from './recording-tunnel-io.js';
import { TLS_HANDSHAKE_FAILURE_ALERT, TLS_MAX_HELLO_BYTES, createTlsEmulator } from './tls-emulator.js';

function setup() {
  const holder: { end: () => void } = { end: () => undefined };
  const io = createRecordingTunnelIo({ dstIp: '142.250.74.36', dstPort: 443, channelId: 2, onClose: () => holder.end() });
  const emulator = createTlsEmulator(io);
  holder.end = () => emulator.end();
  emulator.start();
  return { io, emulator };
}

/**
 * Runs a real node:tls client over an in-memory stream whose far end is the
 * emulator, as the SSH channel would be. Resolves with the client's error.
 */
async function tlsClientAgainstEmulator(options: { servername: string; ALPNProtocols: string[] }) {
  const { io, emulator } = setup();
  const wire = new Duplex({
    read(): void {},
    write(chunk: Buffer, _encoding, callback): void {
      emulator.data(chunk);
      for (const out of io.writes.splice(0)) this.push(out);
      if (io.closed) this.push(null);
      callback();
    },
  });
  const socket = connect({ socket: wire, ...options });
  const [err] = (await once(socket, 'error').catch((e: unknown) => [e])) as [Error & { code?: string }];
  socket.destroy();
  return { io, err };
}

describe('createTlsEmulator()', () => {
  it('fingerprints a real node:tls ClientHello and fails the handshake with a fatal alert', async () => {
    const { io, err } = await tlsClientAgainstEmulator({ servername: 'www.google.com', ALPNProtocols: ['h2', 'http/1.1'] });
    expect(err.code).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect(io.closed).toBe(true);
    const [ja4Event, tlsEvent] = io.events;
    const ja4 = tlsEvent?.fields['ja4'];
    expect(ja4).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(ja4Event).toEqual({
      eventid: 'cowrie.direct-tcpip.ja4',
      fields: { ja4, dst_ip: '142.250.74.36', dst_port: 443 },
      message: `JA4 fingerprint for forwarded TLS to 142.250.74.36:443: ${String(ja4)}`,
    });
    expect(tlsEvent?.eventid).toBe('honeyscope.tunnel.tls');
    expect(tlsEvent?.message).toBe('TLS ClientHello to 142.250.74.36:443 for "www.google.com"');
    expect(tlsEvent?.fields).toMatchObject({ dst_ip: '142.250.74.36', dst_port: 443, id: 2, sni: 'www.google.com', alpn: ['h2', 'http/1.1'] });
    expect(tlsEvent?.fields['versions']).toContain('TLS 1.3');
    expect((tlsEvent?.fields['ciphers'] as number[]).length).toBeGreaterThan(3);
  });

  it('fingerprints a real openssl s_client and makes it report a handshake failure alert', async () => {
    // The test plays the glue over loopback: socket bytes in, emulator writes out.
    const { io, emulator } = setup();
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        emulator.data(chunk);
        for (const out of io.writes.splice(0)) socket.write(out);
        if (io.closed) socket.end();
      });
      socket.on('error', () => socket.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'smtp.example.org', '-alpn', 'smtp'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('latin1');
      });
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).not.toBe(0);
      expect(stderr).toContain('alert handshake failure');
      expect(io.eventsOf('honeyscope.tunnel.tls')[0]?.fields).toMatchObject({ sni: 'smtp.example.org', alpn: ['smtp'] });
      expect(io.eventsOf('cowrie.direct-tcpip.ja4')[0]?.fields['ja4']).toMatch(/^t13d\d{4}sp_/);
    } finally {
      if (child.exitCode === null) child.kill();
      server.close();
    }
  });

  it('answers garbage with the alert at once and reports nothing', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(io.writes).toEqual([Buffer.from('150303000202' + '28', 'hex')]);
    expect(io.closed).toBe(true);
    expect(io.events).toEqual([]);
    emulator.data(Buffer.from('more'));
    expect(io.writes.length).toBe(1);
  });

  it('gives up on a handshake that never completes within 16 KiB', () => {
    const { io, emulator } = setup();
    // A record header announcing a 16 KiB ClientHello, then endless filler.
    emulator.data(Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0xff, 0xff]));
    expect(io.closed).toBe(false);
    for (let i = 0; i < 10 && !io.closed; i++) emulator.data(Buffer.alloc(4096, 0x41));
    expect(io.closed).toBe(true);
    expect(io.events).toEqual([]);
    expect(TLS_MAX_HELLO_BYTES).toBe(16 * 1024);
  });

  it('stays silent until the ClientHello is whole', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from([0x16, 0x03]));
    expect(io.writes).toEqual([]);
    emulator.end();
    expect(io.events).toEqual([]);
  });

  it('stays linear when a hostile client trickles 16 KiB one byte at a time', () => {
    const { io, emulator } = setup();
    const data = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x3f, 0xfb]), Buffer.alloc(16_400, 1)]);
    const started = performance.now();
    for (let i = 0; i < data.length && !io.closed; i++) emulator.data(data.subarray(i, i + 1));
    // Re-joining every chunk on each byte took 15 s here; linear work takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(io.closed).toBe(true);
  });
});
