import { describe, expect, it } from 'vitest';
import { loadConfig } from '../load-config.js';

describe('intel config section', () => {
  it('loadConfig() takes the OTX key from HONEYSCOPE_INTEL_OTX_KEY and fills defaults', () => {
    const config = loadConfig({ env: { HONEYSCOPE_INTEL_OTX_KEY: 's3cret' } });
    expect(config.intel).toEqual({
      otxKey: 's3cret',
      otxBaseUrl: 'https://otx.alienvault.com',
      otx: { authors: [], pulseIds: [], tags: [], tlp: [], pageSize: 50 },
      feeds: [],
      whitelist: [],
      exports: [],
      honeypot: { enabled: true, minAttempts: 5, maxAgeDays: 30 },
      syncIntervalMinutes: 60,
    });
  });

  it('loadConfig() names a bad RPZ policy and a bad whitelist entry', () => {
    expect(() => loadConfig({ overrides: { intel: { exports: [{ format: 'rpz', path: 'x', policy: 'block' }] } } })).toThrow(
      'Cannot load command line: "intel.exports.0.policy" expected nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6, received "block"',
    );
    expect(() => loadConfig({ overrides: { intel: { whitelist: ['ok.test', 'not ok'] } } })).toThrow(
      'Cannot load command line: "intel.whitelist.1" expected a domain, *.domain, IP address or CIDR, received "not ok"',
    );
  });
});
