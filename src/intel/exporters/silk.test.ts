import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderSilk } from './silk.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

const meta = (source: string): IntelItem['meta'][number] => ({ source, pulseId: '', active: true });

describe('renderSilk()', () => {
  it('renderSilk() writes one address or CIDR per line with a # comment naming the sources, and nothing else', async () => {
    const items: IntelItem[] = [
      { indicator: 'evil.test', type: 'domain', meta: [meta('otx')] },
      { indicator: '198.51.100.0/24', type: 'cidr', meta: [meta('spamhaus')] },
      { indicator: '203.0.113.5', type: 'ipv4', meta: [meta('otx'), meta('honeypot'), meta('otx')] },
      { indicator: '2001:db8::5', type: 'ipv6', meta: [meta('feed\nwith newline')] },
    ];
    const report = createReport();
    expect(await collect(renderSilk([items], { report, title: 'test' }))).toBe(
      '# test\n198.51.100.0/24 # spamhaus\n203.0.113.5 # honeypot, otx\n2001:db8::5 # feed with newline\n',
    );
    expect(report.written).toBe(3);
  });
});
