import { describe, expect, it } from 'vitest';
import { DomainMatcher } from './domain-matcher.js';

describe('DomainMatcher', () => {
  it('ids() matches exact entries only on the name itself', () => {
    const m = new DomainMatcher();
    m.add('ise.wrccdc.org', 0, { subdomains: false });
    expect(m.ids('ise.wrccdc.org')).toEqual([0]);
    expect(m.ids('ISE.wrccdc.org.')).toEqual([0]);
    expect(m.ids('a.ise.wrccdc.org')).toEqual([]);
    expect(m.ids('wrccdc.org')).toEqual([]);
  });

  it('ids() matches subdomain entries on the name and every name below it', () => {
    const m = new DomainMatcher();
    m.add('bad.test', 0, { subdomains: true });
    m.add('sub.bad.test', 1, { subdomains: false });
    expect(m.ids('bad.test')).toEqual([0]);
    expect(m.ids('x.sub.bad.test')).toEqual([0]);
    expect(m.ids('sub.bad.test')).toEqual([1, 0]);
    expect(m.ids('notbad.test')).toEqual([]);
    expect(m.ids('test')).toEqual([]);
  });
});
