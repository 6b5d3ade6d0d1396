import { z } from 'zod';

export const coreSection = z
  .object({
    /** Where the event log, host keys, downloads, the embedded store and state live. */
    dataDir: z.string().min(1).default('./data'),
    /** The `sensor` field of every event; empty means the machine's hostname (as Cowrie). */
    sensorName: z.string().default(''),
    /** Diagnostics level (pino): the attacker event log is separate and not affected. */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .prefault({});
