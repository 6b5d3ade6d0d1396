import { parseClientHello, probeClientHello } from '../../protocols/tls-client-hello.js';
import { CappedBuffer } from './capped-buffer.js';
import type { TunnelEmulator, TunnelIo } from './tunnel-emulator.js';

/** Bytes of ClientHello buffered before giving up on it. */
export const TLS_MAX_HELLO_BYTES = 16 * 1024;

/** A fatal handshake_failure alert, as a server that shares no cipher with the client sends it. */
export const TLS_HANDSHAKE_FAILURE_ALERT: Buffer = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);

/**
 * Plays a TLS server that fails the handshake: reads the ClientHello
 * (fingerprints it), answers a fatal handshake_failure alert and closes.
 * Anything that is not a ClientHello gets the same alert.
 */
export function createTlsEmulator(io: TunnelIo): TunnelEmulator {
  const hello = new CappedBuffer(TLS_MAX_HELLO_BYTES);
  let done = false;

  function fail(): void {
    done = true;
    hello.reset();
    io.write(TLS_HANDSHAKE_FAILURE_ALERT);
    io.close();
  }

  function report(buffer: Buffer): void {
    const parsed = parseClientHello(buffer);
    if (parsed === undefined) return;
    const target = `${io.dstIp}:${io.dstPort}`;
    io.emit('cowrie.direct-tcpip.ja4', { ja4: parsed.ja4, dst_ip: io.dstIp, dst_port: io.dstPort }, `JA4 fingerprint for forwarded TLS to ${target}: ${parsed.ja4}`);
    io.emit(
      'honeyscope.tunnel.tls',
      {
        dst_ip: io.dstIp,
        dst_port: io.dstPort,
        id: io.channelId,
        sni: parsed.sni ?? null,
        alpn: parsed.alpn,
        versions: parsed.versions,
        ciphers: parsed.cipherSuites,
        ja4: parsed.ja4,
      },
      `TLS ClientHello to ${target}${parsed.sni === undefined ? '' : ` for ${JSON.stringify(parsed.sni)}`}`,
    );
  }

  return {
    kind: 'tls',
    start(): void {},
    data(chunk: Buffer): void {
      if (done) return;
      hello.append(chunk);
      const status = probeClientHello(hello.bytes());
      if (status === 'incomplete' && !hello.full) return;
      if (status === 'complete') report(hello.bytes());
      fail();
    },
    end(): void {
      done = true;
      hello.reset();
    },
  };
}
