import { describe, expect, it } from 'vitest';
import { checkAddress, parseAllowList } from './address-policy.js';

describe('checkAddress()', () => {
  it.each([
    ['127.0.0.1', 'address 127.0.0.1 is loopback'],
    ['10.0.0.1', 'address 10.0.0.1 is private'],
    ['172.16.5.4', 'address 172.16.5.4 is private'],
    ['192.168.1.1', 'address 192.168.1.1 is private'],
    ['169.254.169.254', 'address 169.254.169.254 is a cloud metadata service'],
    ['169.254.1.1', 'address 169.254.1.1 is linkLocal'],
    ['100.64.0.1', 'address 100.64.0.1 is carrierGradeNat'],
    ['0.0.0.0', 'address 0.0.0.0 is unspecified'],
    ['224.0.0.1', 'address 224.0.0.1 is multicast'],
    ['255.255.255.255', 'address 255.255.255.255 is broadcast'],
    ['::1', 'address ::1 is loopback'],
    ['::', 'address :: is unspecified'],
    ['fe80::1', 'address fe80::1 is linkLocal'],
    ['fd12:3456::1', 'address fd12:3456::1 is uniqueLocal'],
    ['fd00:ec2::254', 'address fd00:ec2::254 is a cloud metadata service'],
    ['ff02::1', 'address ff02::1 is multicast'],
    ['::ffff:10.0.0.1', 'address 10.0.0.1 is private'],
    ['::ffff:127.0.0.1', 'address 127.0.0.1 is loopback'],
    ['not-an-ip', 'address "not-an-ip" is not an IP address'],
  ])('refuses %s', (address, reason) => {
    expect(checkAddress(address, [])).toEqual({ allowed: false, reason });
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:2800:220:1:248:1893:25c8:1946'])('allows the global address %s', (address) => {
    expect(checkAddress(address, [])).toEqual({ allowed: true });
  });

  it('allows internal addresses covered by download.allow', () => {
    const allow = parseAllowList(['127.0.0.1/32', '10.1.0.0/16', '::1']);
    expect(checkAddress('127.0.0.1', allow)).toEqual({ allowed: true });
    expect(checkAddress('10.1.2.3', allow)).toEqual({ allowed: true });
    expect(checkAddress('::1', allow)).toEqual({ allowed: true });
    expect(checkAddress('127.0.0.2', allow)).toEqual({ allowed: false, reason: 'address 127.0.0.2 is loopback' });
  });
});

describe('parseAllowList()', () => {
  it('throws a TypeError naming a bad entry', () => {
    expect(() => parseAllowList(['10.0.0.0/8', 'localhost'])).toThrow(
      new TypeError('Cannot parse download.allow entry "localhost": expected an IP address or CIDR'),
    );
  });
});
