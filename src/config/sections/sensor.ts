import { z } from 'zod';
import { hostPort } from './host-port.js';

export const sensorSection = z
  .object({
    listen: hostPort.default('127.0.0.1:2222'),
    /** Sent before key exchange; the default matches a current Debian 12 OpenSSH. */
    serverVersion: z
      .string()
      .regex(/^SSH-2\.0-[\x21-\x7e]+( [\x20-\x7e]*)?$/, { message: 'expected an SSH identification string starting with "SSH-2.0-"' })
      .default('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7'),
    banner: z.string().default(''),
    /** Host key types made on first start; kept in DATA/keys/. */
    hostKeyTypes: z.array(z.enum(['ed25519', 'ecdsa', 'rsa'])).min(1).default(['ed25519', 'ecdsa', 'rsa']),
    /** Milliseconds a failed password waits before the answer (OpenSSH and Cowrie wait about 1 s). */
    authFailDelayMs: z.number().int().min(0).max(10_000).default(1000),
  })
  .strict()
  .prefault({});
