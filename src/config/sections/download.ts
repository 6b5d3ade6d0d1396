import { z } from 'zod';

export const downloadSection = z
  .object({
    /** off: log the URL only; fetch: really download (refusing internal addresses). */
    mode: z.enum(['off', 'fetch']).default('off'),
    /** CIDRs or addresses that `fetch` may reach although internal (tests: a local server). */
    allow: z.array(z.string()).default([]),
    maxBytes: z.number().int().min(1).default(32 * 1024 * 1024),
    timeoutMs: z.number().int().min(100).default(30_000),
    maxRedirects: z.number().int().min(0).max(20).default(5),
  })
  .strict()
  .prefault({});
