import { z } from 'zod';

export const analysisSection = z
  .object({
    /** Outbound classification rules (YAML); empty means the rules shipped in src/analysis/rules/. */
    rulesPath: z.string().default(''),
  })
  .strict()
  .prefault({});
