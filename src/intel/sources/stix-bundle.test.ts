import { describe, expect, it } from 'vitest';
import type { BadIndicator } from '../bad-indicator.js';
import { stixBundleToRecords } from './stix-bundle.js';

describe('stixBundleToRecords()', () => {
  it('stixBundleToRecords() takes simple and OR-joined comparisons and reports AND, MATCHES and unknown paths', () => {
    const bad: BadIndicator[] = [];
    const bundle = {
      type: 'bundle',
      objects: [
        { type: 'indicator', id: 'indicator--1', pattern: "[domain-name:value = 'a.test' OR ipv4-addr:value = '112.64.0.0/15']" },
        { type: 'indicator', id: 'indicator--2', pattern: "[url:value = 'http://x.test/it\\'s']" },
        { type: 'indicator', id: 'indicator--3', pattern: "[file:hashes.md5 = 'D41D8CD98F00B204E9800998ECF8427E' AND file:name = 'x']" },
        { type: 'indicator', id: 'indicator--4', pattern: "[domain-name:value MATCHES '^evil']" },
        { type: 'indicator', id: 'indicator--5', pattern: "[mutex:name = 'm']" },
        { type: 'indicator', id: 'indicator--6', pattern: "[domain-name:value = 'not valid']" },
        { type: 'malware', id: 'malware--1', name: 'ignored' },
      ],
    };
    const records = stixBundleToRecords(bundle, { source: 'stix', file: 'b.json', bad });
    expect(records.map((r) => `${r.type}:${r.indicator}:${r.meta.pulseId}`)).toEqual([
      'domain:a.test:indicator--1',
      'cidr:112.64.0.0/15:indicator--1',
      "url:http://x.test/it's:indicator--2",
    ]);
    expect(bad).toEqual([
      { source: 'stix', location: 'b.json: objects[2] indicator--3', value: "[file:hashes.md5 = 'D41D8CD98F00B204E9800998ECF8427E' AND file:name = 'x']", reason: 'Unsupported STIX pattern: expected simple = comparisons joined by OR' },
      { source: 'stix', location: 'b.json: objects[3] indicator--4', value: "[domain-name:value MATCHES '^evil']", reason: 'Unsupported STIX pattern: expected simple = comparisons joined by OR' },
      { source: 'stix', location: 'b.json: objects[4] indicator--5', value: "[mutex:name = 'm']", reason: 'Unsupported STIX pattern: expected an ipv4-addr, ipv6-addr, domain-name, url, email-addr or file hash comparison' },
      { source: 'stix', location: 'b.json: objects[5] indicator--6', value: 'not valid', reason: 'Invalid domain "not valid": expected letters, digits, hyphens, underscores and dots only' },
    ]);
  });
});
