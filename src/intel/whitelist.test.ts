import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import type { IntelItem } from './indicator.js';
import { applyWhitelist, createWhitelist, type Suppressed } from './whitelist.js';

const item = (indicator: string, type: IntelItem['type']): IntelItem => ({ indicator, type, meta: [{ source: 's', pulseId: '', active: true }] });

describe('createWhitelist()', () => {
  it('createWhitelist() matches exact names, *.names with their subdomains, addresses and overlapping CIDRs', () => {
    const wl = createWhitelist(['digicert.com', '*.letsencrypt.org', '192.0.2.10', '198.51.100.0/24', '2001:db8::/32']);
    expect(wl.match({ indicator: 'digicert.com', type: 'domain' })).toBe('digicert.com');
    expect(wl.match({ indicator: 'ocsp.digicert.com', type: 'hostname' })).toBeUndefined();
    expect(wl.match({ indicator: 'letsencrypt.org', type: 'domain' })).toBe('*.letsencrypt.org');
    expect(wl.match({ indicator: 'r3.o.lencr.letsencrypt.org', type: 'hostname' })).toBe('*.letsencrypt.org');
    expect(wl.match({ indicator: 'notletsencrypt.org', type: 'domain' })).toBeUndefined();
    expect(wl.match({ indicator: '192.0.2.10', type: 'ipv4' })).toBe('192.0.2.10');
    expect(wl.match({ indicator: '192.0.2.0/24', type: 'cidr' })).toBe('192.0.2.10');
    expect(wl.match({ indicator: '198.51.100.77', type: 'ipv4' })).toBe('198.51.100.0/24');
    expect(wl.match({ indicator: '198.51.0.0/16', type: 'cidr' })).toBe('198.51.100.0/24');
    expect(wl.match({ indicator: '2001:db8::5', type: 'ipv6' })).toBe('2001:db8::/32');
    expect(wl.match({ indicator: 'http://x.letsencrypt.org/a', type: 'url' })).toBe('*.letsencrypt.org');
    expect(wl.match({ indicator: '203.0.113.1', type: 'ipv4' })).toBeUndefined();
  });

  it('createWhitelist() finds the same overlapping IPv4 CIDRs as a prefix comparison with ipaddr.js', () => {
    const random = seededRandom(11);
    const cidr = (): string => {
      const prefix = Math.floor(random() * 33);
      const addr = ipaddr.fromByteArray([0, 0, 0, 0].map(() => (random() < 0.5 ? 198 : Math.floor(random() * 256))));
      const network = ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${prefix}`);
      return `${network.toString()}/${prefix}`;
    };
    const entries = Array.from({ length: 6 }, cidr);
    const wl = createWhitelist(entries);
    let overlaps = 0;
    for (let i = 0; i < 3000; i++) {
      const value = cidr();
      const [addr, prefix] = ipaddr.parseCIDR(value);
      const expected = entries.find((e) => {
        const [net, bits] = ipaddr.parseCIDR(e);
        return bits <= prefix ? addr.match(net, bits) : net.match(addr, prefix);
      });
      if (expected !== undefined) overlaps++;
      expect(wl.match({ indicator: value, type: 'cidr' }), value).toBe(expected);
    }
    expect(overlaps).toBeGreaterThan(100);
  });

  it('createWhitelist() takes ranges broader than an indicator may be (fc00::/7), since they only block less', () => {
    const wl = createWhitelist(['fc00::/7', '10.1.2.3/8']);
    expect(wl.match({ indicator: 'fd12::1', type: 'ipv6' })).toBe('fc00::/7');
    expect(wl.match({ indicator: '10.200.0.1', type: 'ipv4' })).toBe('10.1.2.3/8');
  });

  it('createWhitelist() names a bad entry', () => {
    expect(() => createWhitelist(['ok.test', 'not valid'])).toThrow(new SyntaxError('Invalid whitelist entry "not valid": expected a domain, *.domain, IP address or CIDR'));
  });

  it('applyWhitelist() passes the rest through and reports what it suppressed', async () => {
    const suppressed: Suppressed[] = [];
    const out: string[] = [];
    for await (const batch of applyWhitelist([[item('digicert.com', 'domain')], [item('evil.test', 'domain')]], createWhitelist(['digicert.com']), suppressed)) out.push(...batch.map((i) => i.indicator));
    expect(out).toEqual(['evil.test']);
    expect(suppressed).toEqual([{ indicator: 'digicert.com', type: 'domain', rule: 'digicert.com' }]);
  });
});
