import { describe, expect, it } from 'vitest';
import { IndicatorSetBuilder } from '../intel/match/indicator-set.js';
import type { LogRecord } from '../intel/match/log-record.js';
import { matchRecord } from '../intel/match/match-record.js';
import { AlertEngine } from './alert-engine.js';
import { parseAlertRules } from './alert-rule.js';
import { builtinRules } from './builtin-rules.js';

const set = (() => {
  const b = new IndicatorSetBuilder();
  b.addItem({ indicator: 'bad.test', type: 'domain', meta: [{ source: 'otx:pulse' }] });
  b.addItem({ indicator: '203.0.113.0/24', type: 'cidr', meta: [{ source: 'spamhaus' }] });
  return b.build();
})();

function dns(line: number, ts: number, query: string, srcIp = '10.0.0.1'): LogRecord {
  return { kind: 'dns', format: 'bind', file: 'query.log', line, raw: `q ${query}`, ts, srcIp, query };
}

function engine(yaml?: string): AlertEngine {
  let n = 0;
  return new AlertEngine(yaml ? parseAlertRules(yaml, 'rules.yaml') : builtinRules(), { now: () => Date.UTC(2026, 10, 28), newId: () => `a${++n}` });
}

function evaluate(e: AlertEngine, record: LogRecord): string[] {
  return e.evaluate(record, matchRecord(set, record)).map((a) => `${a.rule.id}:${a.indicator?.seen ?? '-'}:${a.count}`);
}

describe('AlertEngine', () => {
  it('evaluate() raises the built-in DNS alert with the indicator and its sources', () => {
    const e = engine();
    const alerts = e.evaluate(dns(7, 100, 'x.bad.test'), matchRecord(set, dns(7, 100, 'x.bad.test')));
    expect(alerts).toEqual([
      {
        id: 'a1',
        timestamp: '2026-11-28T00:00:00.000Z',
        record_ts: 100,
        rule: { id: 'hs-intel-dns', level: 10, description: 'DNS request for an indicator domain', groups: ['intel', 'dns'] },
        kind: 'dns',
        src_ip: '10.0.0.1',
        src_port: undefined,
        dst_ip: undefined,
        dst_port: undefined,
        indicator: { seen: 'x.bad.test', type: 'Intel::DOMAIN', where: 'DNS::IN_REQUEST', indicators: ['bad.test'], matched: ['Intel::DOMAIN'], sources: ['otx:pulse'] },
        count: 1,
        log: { file: 'query.log', line: 7, record: 'q x.bad.test' },
      },
    ]);
    expect(evaluate(e, dns(8, 101, 'good.test'))).toEqual([]);
  });

  it('evaluate() keeps quiet within the ignore window for the same source and indicator', () => {
    const e = engine();
    expect(evaluate(e, dns(1, 100, 'bad.test'))).toEqual(['hs-intel-dns:bad.test:1']);
    expect(evaluate(e, dns(2, 130, 'bad.test'))).toEqual([]);
    expect(evaluate(e, dns(3, 131, 'bad.test', '10.0.0.2'))).toEqual(['hs-intel-dns:bad.test:1']);
    expect(evaluate(e, dns(4, 161, 'bad.test'))).toEqual(['hs-intel-dns:bad.test:1']);
    expect(e.suppressed).toBe(1);
  });

  it('evaluate() fires a frequency rule once enough records fall in the timeframe', () => {
    const e = engine(`
rules:
  - id: 100200
    level: 10
    description: Many RPZ hits from one client
    match: { kind: dns, source: 'otx:*' }
    frequency: 3
    timeframe: 60
    same_source: true
`);
    expect(evaluate(e, dns(1, 0, 'bad.test'))).toEqual([]);
    expect(evaluate(e, dns(2, 10, 'a.bad.test', '10.0.0.9'))).toEqual([]);
    expect(evaluate(e, dns(3, 70, 'b.bad.test'))).toEqual([]);
    expect(evaluate(e, dns(4, 80, 'c.bad.test'))).toEqual([]);
    expect(evaluate(e, dns(5, 90, 'd.bad.test'))).toEqual(['100200:d.bad.test:3']);
  });

  it('evaluate() raises the infected-file alert without any indicator', () => {
    const e = engine();
    const record: LogRecord = {
      kind: 'file', format: 'cowrie', file: 'honeyscope.json', line: 3, raw: '{}', ts: 5,
      hashes: ['c'.repeat(64)], fields: { eventid: 'honeyscope.scan.result', verdict: 'infected' },
    };
    expect(evaluate(e, record)).toEqual(['hs-infected-file:-:1']);
    expect(evaluate(e, { ...record, fields: { eventid: 'honeyscope.scan.result', verdict: 'clean' } })).toEqual([]);
  });

  it('evaluate() raises the flow and tunnel alerts on indicator addresses and names', () => {
    const e = engine();
    const flow: LogRecord = { kind: 'flow', format: 'silk', file: 'f', line: 2, raw: '', ts: 1, srcIp: '10.0.0.5', dstIp: '203.0.113.5' };
    expect(evaluate(e, flow)).toEqual(['hs-intel-flow:203.0.113.5:1']);
    const tunnel: LogRecord = { kind: 'tunnel', format: 'cowrie', file: 'e', line: 1, raw: '', ts: 1, srcIp: '198.51.100.1', query: 'smtp.bad.test', dstPort: 25 };
    expect(evaluate(e, tunnel)).toEqual(['hs-intel-tunnel:smtp.bad.test:1']);
  });

  it('evaluate() checks field conditions with values, lists and regexes', () => {
    const e = engine(`
- id: r1
  level: 5
  description: NXDOMAIN rewrite
  match: { kind: dns, fields: { rpz_policy: [NXDOMAIN, NODATA], via: { regex: '\\.rpz\\.local$' } } }
`);
    const hit: LogRecord = { ...dns(1, 1, 'bad.test'), fields: { rpz_policy: 'NXDOMAIN', via: 'bad.test.rpz.local' } };
    expect(evaluate(e, hit)).toEqual(['r1:bad.test:1']);
    expect(evaluate(e, { ...hit, fields: { rpz_policy: 'PASSTHRU', via: 'bad.test.rpz.local' } })).toEqual([]);
  });
});

describe('parseAlertRules()', () => {
  it('names the file and key of an invalid rule', () => {
    expect(() => parseAlertRules('rules:\n  - id: 1\n    level: 16\n    description: x\n', 'r.yaml')).toThrow(
      'Cannot load alert rules "r.yaml": "rules.0.level" Too big: expected number to be <=15',
    );
    expect(() => parseAlertRules('rules:\n  - { id: 1, level: 1, description: x }\n  - { id: 1, level: 2, description: y }\n', 'r.yaml')).toThrow(
      'Cannot load alert rules "r.yaml": rule id "1" is defined twice',
    );
    expect(() => parseAlertRules('nothing: here\n', 'r.yaml')).toThrow('Cannot load alert rules "r.yaml": expected a list under "rules"');
  });
});
