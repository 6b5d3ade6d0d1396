import type { OutboundRules } from './outbound-rules.js';

/** What the classification looks at in one payload. */
export interface PayloadFacts {
  kind: string;
  port?: number | null;
  host?: string | null;
  path?: string | null;
  method?: string | null;
  userAgent?: string | null;
}

/** The category of the first rule that matches, else the rules' default (pure). */
export function classifyPayload(facts: PayloadFacts, rules: OutboundRules): string {
  const host = normaliseHost(facts.host);
  for (const rule of rules.rules) {
    if (rule.kinds && !rule.kinds.has(facts.kind)) continue;
    if (rule.ports && (facts.port == null || !rule.ports.has(facts.port))) continue;
    if (rule.hosts && (host === '' || !rule.hosts.some((h) => host === h || host.endsWith(`.${h}`)))) continue;
    if (rule.paths && (facts.path == null || !rule.paths.some((p) => p.test(facts.path ?? '')))) continue;
    if (rule.methods && (facts.method == null || !rule.methods.has(facts.method.toUpperCase()))) continue;
    if (rule.userAgents && (facts.userAgent == null || !rule.userAgents.some((p) => p.test(facts.userAgent ?? '')))) continue;
    return rule.category;
  }
  return rules.defaultCategory;
}

/** Lower case, without a port or a trailing dot. */
function normaliseHost(host: string | null | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  const bare = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d+$/, '');
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}
