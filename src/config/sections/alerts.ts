import { z } from 'zod';

export const alertsSection = z
  .object({
    /** Load the built-in rules (DNS request, flow, HTTP, tunnel to an indicator; infected file). */
    builtin: z.boolean().default(true),
    /** YAML rule files (OSSEC-like; see src/alerts/alert-rule.ts), added to the built-in rules. */
    rules: z.array(z.string().min(1)).default([]),
    /** Domain indicators match only the exact name (Zeek), not their subdomains. */
    exactDomains: z.boolean().default(false),
    sinks: z
      .object({
        /** Alert log read by the dashboard; empty means DATA/alerts/alerts.jsonl. */
        jsonl: z.object({ enabled: z.boolean().default(true), path: z.string().default('') }).strict().prefault({}),
        console: z.object({ enabled: z.boolean().default(false) }).strict().prefault({}),
        syslog: z
          .object({
            enabled: z.boolean().default(false),
            host: z.string().min(1).default('127.0.0.1'),
            port: z.number().int().min(1).max(65535).default(514),
            protocol: z.enum(['udp', 'tcp']).default('udp'),
            /** 16 = local0. */
            facility: z.number().int().min(0).max(23).default(16),
            appName: z.string().min(1).default('honeyscope'),
          })
          .strict()
          .prefault({}),
        webhook: z
          .object({
            enabled: z.boolean().default(false),
            url: z.string().default(''),
            headers: z.record(z.string(), z.string()).default({}),
            timeoutMs: z.number().int().min(1).default(5_000),
          })
          .strict()
          .refine((w) => !w.enabled || /^https?:\/\/\S+$/.test(w.url), { message: 'expected an http(s) URL in "url" when the webhook is enabled' })
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** A failed sink write is retried this many times in all, waiting base * 2^n ms (at most max) between tries. */
    retry: z
      .object({
        attempts: z.number().int().min(1).max(100).default(5),
        baseDelayMs: z.number().int().min(0).default(500),
        maxDelayMs: z.number().int().min(0).default(30_000),
      })
      .strict()
      .prefault({}),
    queueLimit: z.number().int().min(1).default(10_000),
    /** `watch`: how often followed logs are checked for growth, rotation and truncation. */
    pollMs: z.number().int().min(10).max(60_000).default(500),
  })
  .strict()
  .prefault({});
