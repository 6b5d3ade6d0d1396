import { z } from 'zod';

export const logSection = z
  .object({
    /** Rotate DATA/log/cowrie.json at UTC midnight to cowrie.json.YYYY-MM-DD (Cowrie's naming). */
    rotateDaily: z.boolean().default(true),
    gzipRotated: z.boolean().default(true),
    /** fsync each batch of events before they count as written. */
    fsync: z.boolean().default(true),
  })
  .strict()
  .prefault({});
