import { z } from 'zod';

export const shellSection = z
  .object({
    hostname: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/, { message: 'expected a host name' }).default('svr04'),
    kernel: z.string().default('6.1.0-28-amd64'),
    kernelBuild: z.string().default('#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)'),
    arch: z.string().default('x86_64'),
    /** Recorded in cowrie.session.params. */
    archTag: z.string().default('linux-x64-lsb'),
    /** Bytes one command line may have; longer input is cut and logged. */
    maxInputBytes: z.number().int().min(64).default(16_384),
    /** Record terminal output as asciicast v2 in DATA/tty/. */
    recordTty: z.boolean().default(true),
  })
  .strict()
  .prefault({});
