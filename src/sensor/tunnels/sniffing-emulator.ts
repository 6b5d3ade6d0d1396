import { createHttpEmulator } from './http-emulator.js';
import { createRawEmulator } from './raw-emulator.js';
import { createTlsEmulator } from './tls-emulator.js';
import type { TunnelEmulator, TunnelIo, TunnelsConfig } from './tunnel-emulator.js';

/** Enough for the longest HTTP method and its space ("OPTIONS ", "CONNECT "). */
const SNIFF_BYTES = 8;
const HTTP_START = /^[A-Z]{3,7} /;
const HTTP_PREFIX = /^[A-Z]{0,7}$/;

/**
 * For ports no emulator is configured for: waits for the bot's first bytes and
 * plays HTTP for a request line, TLS for a handshake record, and only listens
 * to anything else. Bots send HTTP and TLS to odd ports too (proxies, 8443s,
 * C2 panels), and Cowrie fingerprints them by content on any port.
 */
export function createSniffingEmulator(io: TunnelIo, config: TunnelsConfig): TunnelEmulator {
  let chosen: TunnelEmulator | undefined;
  let held = Buffer.alloc(0);

  function choose(bytes: Buffer): TunnelEmulator | undefined {
    if (bytes[0] === 0x16) return bytes.length < 2 ? undefined : bytes[1] === 0x03 ? createTlsEmulator(io) : createRawEmulator();
    const head = bytes.toString('latin1');
    if (HTTP_START.test(head)) return createHttpEmulator(io, config);
    // Still possibly a method being typed byte by byte.
    return HTTP_PREFIX.test(head) && bytes.length < SNIFF_BYTES ? undefined : createRawEmulator();
  }

  return {
    get kind() {
      return chosen?.kind ?? 'raw';
    },
    start(): void {},
    data(chunk: Buffer): void {
      if (chosen) return chosen.data(chunk);
      held = Buffer.concat([held, chunk]);
      chosen = choose(held.subarray(0, SNIFF_BYTES));
      if (!chosen) return;
      const first = held;
      held = Buffer.alloc(0);
      chosen.start();
      chosen.data(first);
    },
    end(): void {
      chosen?.end();
      held = Buffer.alloc(0);
    },
  };
}
