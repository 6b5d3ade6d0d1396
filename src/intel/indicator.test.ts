import { describe, expect, it } from 'vitest';
import { detectIndicatorType, normaliseIndicator, parseIndicator, urlHost } from './indicator.js';

describe('normaliseIndicator()', () => {
  it('normaliseIndicator() lowercases names, converts IDN to punycode and strips the trailing dot', () => {
    expect(normaliseIndicator('domain', 'Evil.Example.')).toBe('evil.example');
    expect(normaliseIndicator('domain', 'B\u00fccher.de')).toBe('xn--bcher-kva.de');
    expect(normaliseIndicator('hostname', '_dmarc.mail.example')).toBe('_dmarc.mail.example');
  });

  it('normaliseIndicator() rejects names that could smuggle syntax, with the reason', () => {
    expect(() => normaliseIndicator('domain', 'exa\nmple.com')).toThrow(new SyntaxError('Invalid domain "exa\\nmple.com": expected letters, digits, hyphens, underscores and dots only'));
    expect(() => normaliseIndicator('domain', 'a b.com')).toThrow(new SyntaxError('Invalid domain "a b.com": expected letters, digits, hyphens, underscores and dots only'));
    expect(() => normaliseIndicator('domain', `${'a'.repeat(64)}.com`)).toThrow(new SyntaxError(`Invalid domain "${'a'.repeat(64)}.com": expected labels of at most 63 octets, found 64`));
    expect(() => normaliseIndicator('domain', 'a..com')).toThrow(new SyntaxError('Invalid domain "a..com": label "" is not letters, digits, hyphens and underscores (no hyphen at either end)'));
    expect(() => normaliseIndicator('domain', 'com')).toThrow(new SyntaxError('Invalid domain "com": expected at least two labels'));
    expect(() => normaliseIndicator('domain', '1.2.3.4')).toThrow(new SyntaxError('Invalid domain "1.2.3.4": expected a name, found a number'));
    expect(() => normaliseIndicator('domain', `${'a.'.repeat(127)}com`)).toThrow(new SyntaxError(`Invalid domain "${'a.'.repeat(127)}com": expected at most 253 octets, found 257`));
  });

  it('normaliseIndicator() canonicalises addresses, CIDRs, hashes, URLs and emails', () => {
    expect(normaliseIndicator('ipv6', '2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normaliseIndicator('cidr', '198.51.100.0/24')).toBe('198.51.100.0/24');
    expect(normaliseIndicator('cidr', '2001:DB8::/32')).toBe('2001:db8::/32');
    expect(normaliseIndicator('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(normaliseIndicator('url', 'evil.test/payload.sh')).toBe('http://evil.test/payload.sh');
    expect(normaliseIndicator('email', 'Bot@Evil.TEST')).toBe('Bot@evil.test');
    expect(() => normaliseIndicator('ipv4', '010.1.1.1')).toThrow(new SyntaxError('Invalid ipv4 "010.1.1.1": expected a dotted-quad IPv4 address'));
    expect(() => normaliseIndicator('url', 'file:///etc/passwd')).toThrow(new SyntaxError('Invalid url "file:///etc/passwd": expected an http, https, ftp or tftp URL'));
  });

  it('parseIndicator() reads an IPv4-mapped IPv6 address as the IPv4 address, so it reaches the IPv4 sets', () => {
    expect(parseIndicator('::ffff:198.51.100.44')).toEqual({ indicator: '198.51.100.44', type: 'ipv4' });
    expect(parseIndicator('::FFFF:c633:642c')).toEqual({ indicator: '198.51.100.44', type: 'ipv4' });
    expect(parseIndicator('2001:db8::1')).toEqual({ indicator: '2001:db8::1', type: 'ipv6' });
  });

  it('normaliseIndicator() rejects names with an RPZ trigger or action label anywhere', () => {
    expect(() => normaliseIndicator('domain', '32.1.0.0.10.rpz-ip')).toThrow(new SyntaxError('Invalid domain "32.1.0.0.10.rpz-ip": label "rpz-ip" is an RPZ trigger or action label, expected none starting with "rpz-"'));
    expect(() => normaliseIndicator('domain', 'NS.rpz-nsdname.')).toThrow(new SyntaxError('Invalid domain "NS.rpz-nsdname.": label "rpz-nsdname" is an RPZ trigger or action label, expected none starting with "rpz-"'));
    for (const name of ['x.rpz-client-ip', '8.1.0.0.127.rpz-nsip', 'rpz-passthru.example', 'a.rpz-drop.example.com']) {
      expect(() => normaliseIndicator('domain', name), name).toThrow(/is an RPZ trigger or action label/);
    }
    expect(normaliseIndicator('domain', 'norpz-here.example')).toBe('norpz-here.example');
  });

  it('normaliseIndicator() rejects names whose last label is no top-level domain (wildcards, ranges, inet_aton forms)', () => {
    expect(() => normaliseIndicator('domain', '10.x.1-2.4')).toThrow(new SyntaxError('Invalid domain "10.x.1-2.4": expected a top-level domain of letters (or xn-- punycode) last, found "4"'));
    expect(() => normaliseIndicator('domain', '0x7f.1')).toThrow(new SyntaxError('Invalid domain "0x7f.1": expected a name, found a number'));
    expect(() => parseIndicator('192.168.1.1-192.168.1.5')).toThrow(new SyntaxError('Invalid domain "192.168.1.1-192.168.1.5": expected a top-level domain of letters (or xn-- punycode) last, found "5"'));
    expect(() => normaliseIndicator('domain', 'host.c0m')).toThrow(/expected a top-level domain/);
    expect(normaliseIndicator('domain', 'example.xn--p1ai')).toBe('example.xn--p1ai');
  });

  it('normaliseIndicator() rejects CIDRs broader than /8 (IPv4) or /16 (IPv6), and CIDRs with host bits set', () => {
    expect(() => normaliseIndicator('cidr', '0.0.0.0/0')).toThrow(new SyntaxError('Invalid cidr "0.0.0.0/0": expected a prefix of at least /8 for IPv4, found /0'));
    expect(() => normaliseIndicator('cidr', '::/0')).toThrow(new SyntaxError('Invalid cidr "::/0": expected a prefix of at least /16 for IPv6, found /0'));
    expect(() => normaliseIndicator('cidr', '8.0.0.0/7')).toThrow(/at least \/8/);
    expect(() => normaliseIndicator('cidr', '2000::/3')).toThrow(/at least \/16/);
    expect(() => normaliseIndicator('cidr', '10.0.0.1/8')).toThrow(new SyntaxError('Invalid cidr "10.0.0.1/8": host bits are set, expected the network address 10.0.0.0/8 or a single address'));
    expect(() => normaliseIndicator('cidr', '2001:db8::1/32')).toThrow(new SyntaxError('Invalid cidr "2001:db8::1/32": host bits are set, expected the network address 2001:db8::/32 or a single address'));
    expect(normaliseIndicator('cidr', '10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(normaliseIndicator('cidr', '2001::/16')).toBe('2001::/16');
  });
});

describe('parseIndicator()', () => {
  it('parseIndicator() detects the type of a bare value', () => {
    expect(['1.2.3.4', '::1', '10.0.0.0/8', 'a'.repeat(32), 'a'.repeat(40), 'a'.repeat(64), 'http://x.test/', 'u@x.test', 'x.test', 'nothing'].map(detectIndicatorType)).toEqual([
      'ipv4', 'ipv6', 'cidr', 'md5', 'sha1', 'sha256', 'url', 'email', 'domain', undefined,
    ]);
    expect(parseIndicator('Evil.Test')).toEqual({ indicator: 'evil.test', type: 'domain' });
    expect(urlHost('http://[2001:db8::1]:8080/x')).toEqual({ indicator: '2001:db8::1', type: 'ipv6' });
    expect(urlHost('http://mdb7.cn:8081/exp')).toEqual({ indicator: 'mdb7.cn', type: 'domain' });
  });
});
