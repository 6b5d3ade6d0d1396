import type { Alert } from './alert.js';

/** A fixed alert for sink tests. */
export function testAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    timestamp: '2026-11-28T17:03:34.815Z',
    record_ts: 1795885414.815,
    rule: { id: 'hs-intel-dns', level: 10, description: 'DNS request for an indicator domain', groups: ['intel', 'dns'] },
    kind: 'dns',
    src_ip: '127.0.0.1',
    src_port: 36596,
    indicator: { seen: 'bad.test', type: 'Intel::DOMAIN', where: 'DNS::IN_REQUEST', indicators: ['bad.test'], matched: ['Intel::DOMAIN'], sources: ['otx:"quoted"]'] },
    count: 1,
    log: { file: 'rpz.log', line: 1, record: 'client 127.0.0.1#36596 (bad.test): rpz QNAME NXDOMAIN' },
    ...overrides,
  };
}
