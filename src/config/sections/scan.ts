import { z } from 'zod';

/** A Unix socket path (`/run/clamav/clamd.ctl`, `unix:rel.sock`) or `HOST:PORT` (`tcp://` allowed); parsed by scan/clamd/clamd-address.ts. */
const clamdAddress = z.string().regex(/^(?:unix:.+|\.?\/.+|(?:tcp:\/\/)?(?:\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):\d{1,5})$/, {
  message: 'expected a clamd socket path (/run/clamav/clamd.ctl) or HOST:PORT (127.0.0.1:3310)',
});

export const scanSection = z
  .object({
    /** Scan every file the sensor captures (downloads, uploads, redirects). */
    enabled: z.boolean().default(false),
    /** Where clamd listens: a Unix socket path (Debian's LocalSocket) or HOST:PORT. */
    clamd: clamdAddress.default('/var/run/clamav/clamd.ctl'),
    connectTimeoutMs: z.number().int().min(1).default(5_000),
    /** No byte either way for this long ends a request; clamd scans a big stream silently, so keep it near its ReadTimeout. */
    idleTimeoutMs: z.number().int().min(1).default(120_000),
    totalTimeoutMs: z.number().int().min(0).default(600_000),
    chunkSize: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
    /** clamd's StreamMaxLength (Debian: 25M): the chunk that crosses it waits for clamd's refusal. 0 if unknown. */
    streamMaxLength: z.number().int().min(0).default(25 * 1024 * 1024),
    /** clamd's MaxFileSize: a larger file would be skipped with OK, so it is reported as an error. 0 turns the check off. */
    maxFileSize: z.number().int().min(0).default(100 * 1024 * 1024),
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(2),
        maxQueued: z.number().int().min(1).default(1000),
        retryDelayMs: z.number().int().min(10).default(5_000),
        maxInterruptedAttempts: z.number().int().min(1).default(3),
      })
      .strict()
      .prefault({}),
    guard: z
      .object({
        /** Pass requests on when the scanner fails (default: refuse them with 503). */
        failOpen: z.boolean().default(false),
        maxBodyBytes: z.number().int().min(1).default(25 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
