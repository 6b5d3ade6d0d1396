import { z } from 'zod';

const positive = z.number().int().min(1);

export const limitsSection = z
  .object({
    maxConnections: positive.default(2000),
    maxConnectionsPerIp: positive.default(50),
    maxAuthAttempts: positive.default(20),
    maxChannelsPerSession: positive.default(100),
    /** Attacker bytes kept per channel; the rest is counted and dropped. */
    maxBytesPerChannel: positive.default(1024 * 1024),
    maxBytesPerSession: positive.default(8 * 1024 * 1024),
    /** Tunnel bytes held by all open channels together; past it new data is refused and the channel closed. */
    memoryBudgetBytes: positive.default(256 * 1024 * 1024),
    /** Time from connect to a successful login (OpenSSH LoginGraceTime). */
    loginGraceMs: positive.default(120_000),
    idleTimeoutMs: positive.default(180_000),
    sessionTimeoutMs: positive.default(3_600_000),
  })
  .strict()
  .prefault({});
