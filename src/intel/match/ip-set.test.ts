import { describe, expect, it } from 'vitest';
import { IpSetBuilder } from './ip-set.js';
import { formatIpv6, parseIpv4, parseIpv6 } from './parse-ip.js';

describe('parseIpv4()', () => {
  it('parses dotted quads to unsigned integers and rejects everything else', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('10.1.2.4')).toBe(167838212);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', 'a.b.c.d', '1.2.3.4 ', '']) expect(parseIpv4(bad)).toBe(-1);
  });
});

describe('parseIpv6()', () => {
  it('parses compressed, full and IPv4-tailed forms', () => {
    expect(parseIpv6('2001:db8:bad::5')).toBe(0x20010db80bad00000000000000000005n);
    expect(parseIpv6('::1')).toBe(1n);
    expect(parseIpv6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1.2.3.4', '1:2:3:4:5:6:7']) expect(parseIpv6(bad)).toBeUndefined();
  });

  it('formatIpv6() writes RFC 5952 text', () => {
    expect(formatIpv6(parseIpv6('2001:0db8:0bad:0000:0000:0000:0000:0005')!)).toBe('2001:db8:bad::5');
  });
});

describe('IpSet', () => {
  it('ids() returns every range covering an address, CIDR and address alike', () => {
    const b = new IpSetBuilder();
    b.addCidr('198.51.100.0/24', 0);
    b.addCidr('198.51.100.77', 1);
    b.addCidr('10.0.0.0/8', 2);
    b.addCidr('0.0.0.0/32', 3);
    b.addCidr('255.255.255.255', 4);
    const set = b.build();
    expect(set.ids('198.51.100.77')).toEqual([0, 1]);
    expect(set.ids('198.51.100.78')).toEqual([0]);
    expect(set.ids('198.51.101.0')).toEqual([]);
    expect(set.ids('10.255.255.255')).toEqual([2]);
    expect(set.ids('11.0.0.0')).toEqual([]);
    expect(set.ids('0.0.0.0')).toEqual([3]);
    expect(set.ids('0.0.0.1')).toEqual([]);
    expect(set.ids('255.255.255.255')).toEqual([4]);
    expect(set.ids('not an ip')).toEqual([]);
  });

  it('ids() finds a range that starts in an earlier /16 bucket', () => {
    const b = new IpSetBuilder();
    b.addCidr('100.0.0.0/10', 0);
    b.addCidr('100.20.5.5', 1);
    const set = b.build();
    expect(set.ids('100.63.255.255')).toEqual([0]);
    expect(set.ids('100.20.5.5')).toEqual([0, 1]);
    expect(set.ids('100.64.0.0')).toEqual([]);
  });

  it('ids() matches IPv6 CIDRs and IPv4-mapped addresses', () => {
    const b = new IpSetBuilder();
    b.addCidr('2001:db8:bad::/48', 0);
    b.addCidr('2001:db8:bad::5', 1);
    b.addCidr('203.0.113.5', 2);
    const set = b.build();
    expect(set.ids('2001:db8:bad:ffff::1')).toEqual([0]);
    expect(set.ids('2001:db8:bad::5')).toEqual([0, 1]);
    expect(set.ids('2001:db8:bae::')).toEqual([]);
    expect(set.ids('::ffff:203.0.113.5')).toEqual([2]);
  });

  it('addCidr() refuses prefixes beyond the family and non-addresses', () => {
    const b = new IpSetBuilder();
    expect(b.addCidr('1.2.3.4/33', 0)).toBe(false);
    expect(b.addCidr('::/129', 0)).toBe(false);
    expect(b.addCidr('example.com', 0)).toBe(false);
    expect(b.addCidr('1.2.3.4/x', 0)).toBe(false);
  });

  it('lookupV4() agrees with a linear scan on random ranges', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    const b = new IpSetBuilder();
    const ranges: [number, number][] = [];
    for (let i = 0; i < 300; i++) {
      const prefix = 8 + (rand() % 25);
      const size = 2 ** (32 - prefix);
      const start = rand() - (rand() % size);
      const s = start - (start % size);
      ranges.push([s, s + size - 1]);
      b.addV4(s, s + size - 1, i);
    }
    const set = b.build();
    for (let i = 0; i < 2000; i++) {
      const ip = i % 2 === 0 ? rand() : ranges[i % ranges.length]![0];
      const expected = ranges.flatMap(([s, e], id) => (ip >= s && ip <= e ? [id] : []));
      expect(set.idsV4(ip)).toEqual(expected);
    }
  });

  it('lookupV4() gives the same answers with and without the /24 block index', () => {
    let seed = 99;
    const rand = (): number => {
      seed ^= seed << 13;
      seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>>= 0);
    };
    const b = new IpSetBuilder();
    const probes: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ip = rand();
      const prefix = i % 3 === 0 ? 32 : 20 + (rand() % 13);
      const size = 2 ** (32 - prefix);
      const start = ip - (ip % size);
      b.addV4(start, start + size - 1, i);
      probes.push(start, start + size - 1, start + size, Math.max(0, start - 1), ip);
    }
    b.addCidr('0.0.0.0/32', 20_000);
    b.addCidr('255.255.255.255/32', 20_001);
    const indexed = b.build({ tableThreshold: 0 });
    const plain = b.build({ tableThreshold: Infinity });
    for (let i = 0; i < 100_000; i++) probes.push(rand());
    probes.push(0, 1, 0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff);
    for (const ip of probes) expect(indexed.idsV4(ip >>> 0)).toEqual(plain.idsV4(ip >>> 0));
  });
});
