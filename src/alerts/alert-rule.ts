import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HoneyscopeError } from '../lib/errors.js';

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const fieldCondition = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])), z.object({ regex: z.string() }).strict()]);

/**
 * An OSSEC-like rule. `match` selects records and matches; `frequency` within
 * `timeframe` seconds (per source address with `same_source`) correlates;
 * `ignore` seconds suppresses repeats of the same rule, source and indicator.
 */
export const alertRuleSchema = z
  .object({
    id: z.union([z.string().min(1), z.int().nonnegative()]).transform(String),
    level: z.int().min(0).max(15),
    description: z.string().min(1),
    groups: z.array(z.string()).default([]),
    match: z
      .object({
        /** Record kinds: flow, dns, http, file, tunnel, event. */
        kind: oneOrMany.optional(),
        /** Conditions on record fields (`eventid`, `verdict`, `id.resp_p`, `rcode_name`...): a value, a list of values, or {regex}. */
        fields: z.record(z.string(), fieldCondition).default({}),
        /** `required` (default): only records with a match; `optional`: any record; `none`: only records without one. */
        indicator: z.enum(['required', 'optional', 'none']).default('required'),
        /** Indicator types of the listed entries: ipv4, ipv6, cidr, domain, hostname, url, md5, sha1, sha256, silk. */
        indicator_type: oneOrMany.optional(),
        /** Sources listing the indicator; `otx:*` matches by prefix. */
        source: oneOrMany.optional(),
        /** Zeek Intel::Where values: DNS::IN_REQUEST, Conn::IN_RESP, Tunnel::IN_DEST... */
        where: oneOrMany.optional(),
      })
      .strict()
      .prefault({}),
    frequency: z.int().min(1).default(1),
    timeframe: z.number().positive().default(60),
    same_source: z.boolean().default(false),
    ignore: z.number().nonnegative().default(0),
  })
  .strict()
  .refine((r) => !(r.match.indicator === 'none' && (r.match.indicator_type || r.match.source || r.match.where)), {
    message: 'indicator_type, source and where need an indicator: drop them or set indicator to required or optional',
  });

export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** Parses a rules document (`rules: [...]` or a bare list); errors name the file and the key. */
export function parseAlertRules(text: string, file: string): AlertRule[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot parse alert rules "${file}": ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const list = Array.isArray(doc) ? doc : (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load alert rules "${file}": expected a list under "rules"`);
  const rules = list.map((raw, i) => {
    const parsed = alertRuleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = ['rules', i, ...issue.path].join('.');
      throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load alert rules "${file}": "${key}" ${issue.message}`);
    }
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load alert rules "${file}": rule id "${rule.id}" is defined twice`);
    seen.add(rule.id);
  }
  return rules;
}
