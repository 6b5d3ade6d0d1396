import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderStix } from './stix.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

describe('renderStix()', () => {
  it('renderStix() writes a STIX 2.1 bundle of the honeypot\'s own indicators with stable ids and escaped patterns', async () => {
    const items: IntelItem[] = [
      { indicator: '203.0.113.5', type: 'ipv4', meta: [{ source: 'honeypot', pulseId: '', active: true, firstSeen: 0, lastSeen: 1000, description: 'login attempts (9)', tags: ['honeypot'] }] },
      { indicator: 'evil.test', type: 'domain', meta: [{ source: 'otx', pulseId: 'p', active: true }] },
      { indicator: "http://evil.test/a'b\\c", type: 'url', meta: [{ source: 'honeypot', pulseId: '', active: true }] },
      { indicator: 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', type: 'sha256', meta: [{ source: 'honeypot', pulseId: '', active: true }] },
    ];
    const report = createReport();
    const text = await collect(renderStix([items], { report, now: Date.parse('2026-11-28T18:00:00Z') }));
    const bundle = JSON.parse(text) as { type: string; id: string; objects: Array<Record<string, unknown>> };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bundle.objects.map((o) => o.type)).toEqual(['identity', 'indicator', 'indicator', 'indicator']);
    expect(bundle.objects.slice(1).map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '203.0.113.5']",
      "[url:value = 'http://evil.test/a\\'b\\\\c']",
      "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
    ]);
    expect(bundle.objects[1]).toMatchObject({
      spec_version: '2.1', pattern_type: 'stix', created: '1970-01-01T00:00:00.000Z', modified: '1970-01-01T00:00:01.000Z',
      valid_from: '1970-01-01T00:00:00.000Z', created_by_ref: bundle.objects[0]!.id, labels: ['honeypot'], description: 'login attempts (9)',
    });
    const again = JSON.parse(await collect(renderStix([items], { report: createReport(), now: Date.parse('2026-11-28T18:00:00Z') }))) as typeof bundle;
    expect(again).toEqual(bundle);
    expect(report.written).toBe(3);
  });
});
