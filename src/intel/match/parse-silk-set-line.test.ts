import { describe, expect, it } from 'vitest';
import { parseSilkSetLine } from './parse-silk-set-line.js';

describe('parseSilkSetLine()', () => {
  it('reads addresses, integers, CIDRs, wildcards and comments as rwsetbuild does', () => {
    expect(parseSilkSetLine('203.0.113.5          # single IPv4')).toEqual({ v4: [[3405803781, 3405803781]] });
    expect(parseSilkSetLine('167838212')).toEqual({ v4: [[167838212, 167838212]] });
    expect(parseSilkSetLine('198.51.100.7/24')).toEqual({ v4: [[3325256704, 3325256959]] });
    expect(parseSilkSetLine('192.0.2.1,3,5-7')).toEqual({ v4: [[3221225985, 3221225985], [3221225987, 3221225987], [3221225989, 3221225991]] });
    expect((parseSilkSetLine('10.x.1-2.4') as { v4: unknown[] }).v4).toHaveLength(512);
    expect(parseSilkSetLine('2001:db8::/32')).toEqual({ cidr: '2001:db8::/32' });
    expect(parseSilkSetLine('   ')).toBeUndefined();
    expect(parseSilkSetLine('# comment')).toBeUndefined();
  });

  it('rejects what rwsetbuild rejects, naming the entry', () => {
    expect(() => parseSilkSetLine('10.x.0.0/16')).toThrow('Cannot parse IP list entry "10.x.0.0/16": wildcards cannot take a CIDR suffix');
    expect(() => parseSilkSetLine('10.0.0.1 - 10.0.0.5')).toThrow('Cannot parse IP list entry "10.0.0.1 - 10.0.0.5": expected one address per line (ranges need rwsetbuild --ip-ranges)');
    expect(() => parseSilkSetLine('10.0.0.300')).toThrow('Cannot parse IP list entry "10.0.0.300": unexpected octet "300"');
    expect(() => parseSilkSetLine('4294967296')).toThrow('Cannot parse IP list entry "4294967296": integer is above 4294967295');
    expect(() => parseSilkSetLine('1.2.3.4/40')).toThrow('Cannot parse IP list entry "1.2.3.4/40": expected a prefix from 0 to 32');
  });
});
