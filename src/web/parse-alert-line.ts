import { z } from 'zod';
import type { Alert } from '../alerts/alert.js';

const port = z.int().min(0).max(65535).optional();

/** What the dashboard needs of a stored alert; other fields pass through untouched. */
const alertSchema = z.looseObject({
  id: z.string(),
  timestamp: z.string(),
  record_ts: z.number().optional(),
  rule: z.looseObject({ id: z.string(), level: z.int().min(0).max(15), description: z.string(), groups: z.array(z.string()) }),
  kind: z.enum(['flow', 'dns', 'http', 'file', 'tunnel', 'event']),
  src_ip: z.string().optional(),
  src_port: port,
  dst_ip: z.string().optional(),
  dst_port: port,
  indicator: z
    .looseObject({
      seen: z.string(),
      type: z.string(),
      where: z.string(),
      indicators: z.array(z.string()),
      matched: z.array(z.string()),
      sources: z.array(z.string()),
    })
    .optional(),
  count: z.int().min(0),
  log: z.looseObject({ file: z.string(), line: z.int().min(0), record: z.string() }),
});

/**
 * One line of the JSONL alert log as an Alert, or null when it is not one
 * (bad JSON or a wrong shape): the caller counts it and goes on.
 */
export function parseAlertLine(line: string): Alert | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
  const parsed = alertSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
