import { alertRuleSchema, type AlertRule, type AlertRuleInput } from './alert-rule.js';

const BUILTIN: AlertRuleInput[] = [
  {
    id: 'hs-intel-dns',
    level: 10,
    description: 'DNS request for an indicator domain',
    groups: ['intel', 'dns'],
    match: { kind: 'dns', where: 'DNS::IN_REQUEST' },
    ignore: 60,
  },
  {
    id: 'hs-intel-flow',
    level: 8,
    description: 'Flow to or from an indicator IP',
    groups: ['intel', 'flow'],
    match: { kind: 'flow', where: ['Conn::IN_ORIG', 'Conn::IN_RESP'] },
    ignore: 60,
  },
  {
    id: 'hs-intel-http',
    level: 8,
    description: 'HTTP request to an indicator host or URL',
    groups: ['intel', 'http'],
    match: { kind: 'http' },
    ignore: 60,
  },
  {
    id: 'hs-intel-tunnel',
    level: 10,
    description: 'Honeypot tunnel to an indicator destination',
    groups: ['intel', 'honeypot'],
    match: { kind: 'tunnel', where: ['Tunnel::IN_DEST', 'Tunnel::IN_HOST'] },
    ignore: 60,
  },
  {
    id: 'hs-infected-file',
    level: 12,
    description: 'Infected file',
    groups: ['malware'],
    match: { kind: 'file', indicator: 'optional', fields: { eventid: 'honeyscope.scan.result', verdict: 'infected' } },
  },
];

/** The rules every install has: the seed's OSSEC RPZ alert and its siblings. */
export function builtinRules(): AlertRule[] {
  return BUILTIN.map((rule) => alertRuleSchema.parse(rule));
}
