import { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { tunnelsSection } from '../../config/sections/tunnels.js';
import { createRecordingTunnelIo } from './recording-tunnel-io.js';
import { TLS_HANDSHAKE_FAILURE_ALERT } from './tls-emulator.js';
import { createTunnelEmulator } from './tunnel-emulator.js';

const CONFIG = tunnelsSection.parse({});

/** The ClientHello node:tls sends for `servername`, caught before it goes anywhere. */
async function clientHello(servername: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const wire = new Duplex({
      read(): void {},
      write(chunk: Buffer): void {
        resolve(chunk);
        // The first write can come before connect() has returned.
        setImmediate(() => socket.destroy());
      },
    });
    const socket = connect({ socket: wire, servername });
    socket.on('error', () => undefined);
  });
}

function open(dstPort: number) {
  const holder = { end: (): void => undefined };
  const io = createRecordingTunnelIo({ dstIp: '192.0.2.7', dstPort, onClose: () => holder.end() });
  const emulator = createTunnelEmulator(io, CONFIG);
  holder.end = () => emulator.end();
  emulator.start();
  return { io, emulator };
}

describe('the emulator for ports no protocol is configured for', () => {
  it('plays HTTP to a request line, even one typed a byte at a time', () => {
    const { io, emulator } = open(9999);
    for (const byte of Buffer.from('GET /panel HTTP/1.1\r\nHost: c2.example\r\nConnection: close\r\n\r\n')) emulator.data(Buffer.from([byte]));
    expect(emulator.kind).toBe('http');
    expect(io.output()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(io.events.map((e) => e.eventid)).toEqual(['cowrie.direct-tcpip.ja4h', 'honeyscope.tunnel.http']);
    expect(io.events[1]?.fields).toMatchObject({ method: 'GET', path: '/panel', host: 'c2.example', dst_port: 9999 });
  });

  it('plays TLS to a ClientHello: fingerprints it, reads its SNI and fails the handshake', async () => {
    const { io, emulator } = open(41879);
    emulator.data(await clientHello('www.google.com'));
    expect(emulator.kind).toBe('tls');
    expect(io.events.map((e) => e.eventid)).toEqual(['cowrie.direct-tcpip.ja4', 'honeyscope.tunnel.tls']);
    expect(io.events[1]?.fields).toMatchObject({ sni: 'www.google.com', dst_port: 41879 });
    expect(io.writes).toEqual([TLS_HANDSHAKE_FAILURE_ALERT]);
  });

  it('only listens to anything else: an SSH banner, binary, a lower-case word', () => {
    for (const first of ['SSH-2.0-Go\r\n', '\x00\x01\x02\x03', 'hello world\r\n', '\x16\x01\x00']) {
      const { io, emulator } = open(6667);
      emulator.data(Buffer.from(first, 'latin1'));
      emulator.data(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      expect(emulator.kind, JSON.stringify(first)).toBe('raw');
      expect(io.writes).toEqual([]);
      expect(io.events).toEqual([]);
    }
  });
});
