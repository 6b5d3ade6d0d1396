import { z } from 'zod';

export const storeSection = z
  .object({
    /** Empty: the embedded DuckDB file DATA/honeyscope.duckdb; or a postgres:// URL. */
    url: z
      .string()
      .refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v), { message: 'expected empty (embedded store) or a postgres:// URL' })
      .default(''),
  })
  .strict()
  .prefault({});
