import type { ResolvedConfig } from '../../config/schema.js';
import type { EventId } from '../../events/event-ids.js';
import { createHttpEmulator } from './http-emulator.js';
import { createSmtpEmulator } from './smtp-emulator.js';
import { createSniffingEmulator } from './sniffing-emulator.js';
import { createTlsEmulator } from './tls-emulator.js';

/**
 * What an emulator may do with its tunnel. The glue (src/sensor/tunnel-channel.ts)
 * implements it over the SSH channel; emulators never touch a socket.
 */
export interface TunnelIo {
  readonly dstIp: string;
  readonly dstPort: number;
  readonly channelId: number;
  /** Bytes to the bot. */
  write(data: Buffer): void;
  /** Ends the channel; the glue then calls the emulator's `end()`. */
  close(): void;
  /** An attacker-activity event; the glue adds session identity. */
  emit(eventid: EventId, fields: Record<string, unknown>, message: string): void;
}

/** The far side of one direct-tcpip channel, played by the sensor. */
export interface TunnelEmulator {
  readonly kind: 'smtp' | 'http' | 'tls' | 'raw';
  /** The channel is open: a server that speaks first (SMTP) does so now. */
  start(): void;
  /** Bytes from the bot, in order. */
  data(chunk: Buffer): void;
  /** The channel ended (either side); report what is still unreported. Idempotent. */
  end(): void;
}

export type TunnelsConfig = ResolvedConfig['tunnels'];

/** Picks the emulator for the destination port: SMTP, HTTP, TLS, else one that tells HTTP and TLS by their first bytes. */
export function createTunnelEmulator(io: TunnelIo, config: TunnelsConfig): TunnelEmulator {
  if (config.smtpPorts.includes(io.dstPort)) return createSmtpEmulator(io, config);
  if (config.httpPorts.includes(io.dstPort)) return createHttpEmulator(io, config);
  if (config.tlsPorts.includes(io.dstPort)) return createTlsEmulator(io);
  return createSniffingEmulator(io, config);
}
