import { z } from 'zod';
import { EXPORT_FORMATS } from '../../intel/exporters/exporter.js';
import { parseRpzPolicy } from '../../intel/exporters/rpz.js';
import { createWhitelist } from '../../intel/whitelist.js';

const names = z.array(z.string().min(1)).default([]);

function accepts(check: (value: string) => unknown): (value: string) => boolean {
  return function accepted(value: string): boolean {
    try {
      check(value);
      return true;
    } catch (err) {
      if (err instanceof SyntaxError) return false;
      throw err;
    }
  };
}

export const intelSection = z
  .object({
    /** OTX DirectConnect key; also HONEYSCOPE_INTEL_OTX_KEY. Empty: no OTX sync. */
    otxKey: z.string().default(''),
    /** Scheme, host and port of the OTX API (tests point it at a local server). */
    otxBaseUrl: z
      .string()
      .refine((v) => /^https?:\/\/[^/\s]+\/?$/.test(v), { message: 'expected http(s)://HOST[:PORT]' })
      .default('https://otx.alienvault.com'),
    /** Which pulses to trust: authors or pulse ids (either list), then tags and TLP levels; empty lists trust all. */
    otx: z
      .object({
        authors: names,
        pulseIds: names,
        tags: names,
        tlp: z.array(z.enum(['white', 'clear', 'green', 'amber', 'amber+strict', 'red'])).default([]),
        pageSize: z.int().min(1).max(500).default(50),
      })
      .strict()
      .prefault({}),
    /** Local feeds imported on every sync (format detected by content); source defaults to file:<basename>. */
    feeds: z.array(z.object({ path: z.string().min(1), source: z.string().min(1).optional() }).strict()).default([]),
    /** Never exported: `example.com`, `*.example.com` (and every name below), IP addresses, CIDRs. */
    whitelist: z
      .array(z.string().refine(accepts((v) => createWhitelist([v])), { message: 'expected a domain, *.domain, IP address or CIDR' }))
      .default([]),
    /** Files written after every sync, each replaced atomically. */
    exports: z
      .array(
        z
          .object({
            format: z.enum(EXPORT_FORMATS as [string, ...string[]]),
            path: z.string().min(1),
            /** RPZ: nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6. */
            policy: z.string().refine(accepts(parseRpzPolicy), { message: 'expected nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6' }).default('nxdomain'),
            zone: z.string().default('rpz.local'),
            /** RPZ: also write rpz-ip triggers for addresses and CIDRs. */
            ipTriggers: z.boolean().default(false),
            /** Only indicators of these sources (STIX defaults to the honeypot's own). */
            sources: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .default([]),
    honeypot: z
      .object({
        enabled: z.boolean().default(true),
        /** Login attempts before a source address is listed. */
        minAttempts: z.int().min(1).default(5),
        /** Events older than this are ignored; listed indicators expire this long after last seen. */
        maxAgeDays: z.number().positive().default(30),
      })
      .strict()
      .prefault({}),
    /** `honeyscope run` syncs and re-exports this often; 0 turns the schedule off. */
    syncIntervalMinutes: z.int().min(0).default(60),
  })
  .strict()
  .prefault({});
