import { describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import type { IntelMeta } from '../indicator.js';
import { jsonDocumentToRecords, jsonObjectIndicator } from './json-document.js';

const base: IntelMeta = { source: 'mine', pulseId: '', active: true };

describe('jsonDocumentToRecords()', () => {
  it('jsonDocumentToRecords() reads arrays of strings and of objects typed by Honeyscope or OTX types, reporting bad entries by index', () => {
    const bad: BadIndicator[] = [];
    const doc = ['203.0.113.5', { indicator: 'Evil.Example.', type: 'hostname' }, { indicator: '1.2.3.4', type: 'IPv4' }, { value: 'bad.example' }, { indicator: 'CVE-2020-1', type: 'CVE' }, 42];
    const records = jsonDocumentToRecords(doc, { file: 'f.json', base, bad });
    expect(records.map((r) => `${r.type}:${r.indicator}`)).toEqual(['ipv4:203.0.113.5', 'hostname:evil.example', 'ipv4:1.2.3.4', 'domain:bad.example']);
    expect(records[0]!.meta).toEqual({ ...base, description: undefined });
    expect(bad).toEqual([
      { source: 'mine', location: 'f.json: [4]', value: '{"indicator":"CVE-2020-1","type":"CVE"}', reason: 'Unsupported indicator type "CVE" for "CVE-2020-1": expected an OTX or Honeyscope indicator type' },
      { source: 'mine', location: 'f.json: [5]', value: '42', reason: 'Expected a string or an object with an indicator' },
    ]);
  });

  it('jsonDocumentToRecords() reads an OTX pulse with the OTX reader, under the feed source and file', () => {
    const bad: BadIndicator[] = [];
    const pulse = { id: 'p1', name: 'Pulse', indicators: [{ id: 7, indicator: 'c2.example', type: 'domain' }, { id: 8, indicator: 'not valid;', type: 'domain' }] };
    const records = jsonDocumentToRecords({ results: [pulse] }, { file: 'otx.json', base, bad });
    expect(records.map((r) => [r.indicator, r.meta.source, r.meta.pulseId])).toEqual([['c2.example', 'mine', 'p1']]);
    expect(bad.map((b) => [b.source, b.location])).toEqual([['mine', 'otx.json: otx pulse p1 indicator 8']]);
    expect(jsonDocumentToRecords(pulse, { file: 'otx.json', base, bad: [] })).toHaveLength(1);
  });

  it('jsonDocumentToRecords() refuses an object that holds no indicator list', () => {
    expect(() => jsonDocumentToRecords({ hello: 1 }, { file: 'x.json', base, bad: [] })).toThrow(
      new HoneyscopeError('HS_INTEL', 'Cannot read JSON feed "x.json": expected an array of indicators, an OTX pulse or an object with a "results" list'),
    );
  });
});

describe('jsonObjectIndicator()', () => {
  it('jsonObjectIndicator() detects the type beside keys other than indicator, where "type" may mean anything', () => {
    expect(jsonObjectIndicator({ ip: '198.51.100.7', type: 'scanner' })).toEqual({ indicator: '198.51.100.7', type: 'ipv4', description: undefined });
    expect(() => jsonObjectIndicator({ name: 'x' })).toThrow(new SyntaxError('Expected a "cidr", "ip", "indicator", "value", "domain", "url" string'));
  });
});
