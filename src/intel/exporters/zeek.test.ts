import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderZeek, ZEEK_HEADER } from './zeek.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

describe('renderZeek()', () => {
  it('renderZeek() writes the #fields header byte for byte as Zeek\'s own intel input example', () => {
    const reference = readFileSync('/work/shared/fixtures/intel/zeek/intel-input.donotice.txt', 'utf8').split('\n')[0];
    expect(ZEEK_HEADER).toBe(`${reference}\n`);
  });

  it('renderZeek() maps types as bro-otx does, CIDR to Intel::SUBNET, strips URL schemes and writes one line per source', async () => {
    const items: IntelItem[] = [
      { indicator: '1.2.3.4', type: 'ipv4', meta: [{ source: 'source1', pulseId: '', active: true, description: 'Sending phishing email', url: 'http://source1.com/badhosts/1.2.3.4' }] },
      { indicator: '10.0.0.0/8', type: 'cidr', meta: [{ source: 'drop', pulseId: '', active: true }] },
      { indicator: 'a.b.com', type: 'hostname', meta: [
        { source: 'otx', pulseId: '59e76c453bd1b0125321fb06', pulseName: 'Bad\tpulse', author: 'AlienVault', active: true, url: 'https://otx.alienvault.com/pulse/59e76c453bd1b0125321fb06' },
        { source: 'source2', pulseId: '', active: true, description: 'Name used\nfor data exfiltration' },
      ] },
      { indicator: 'https://evil.test/x?a=1', type: 'url', meta: [{ source: 'honeypot', pulseId: '', active: true }] },
      { indicator: 'd41d8cd98f00b204e9800998ecf8427e', type: 'md5', meta: [{ source: 'misp', pulseId: '', active: true }] },
      { indicator: 'user@evil.test', type: 'email', meta: [{ source: 'misp', pulseId: '', active: true }] },
    ];
    const report = createReport();
    expect(await collect(renderZeek([items], { report }))).toBe(
      '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n' +
        '1.2.3.4\tIntel::ADDR\tsource1\tSending phishing email\thttp://source1.com/badhosts/1.2.3.4\n' +
        '10.0.0.0/8\tIntel::SUBNET\tdrop\t-\t-\n' +
        'a.b.com\tIntel::DOMAIN\tAlienVault OTXv2 - Bad pulse ID: 59e76c453bd1b0125321fb06 Author: AlienVault\t-\thttps://otx.alienvault.com/pulse/59e76c453bd1b0125321fb06\n' +
        'a.b.com\tIntel::DOMAIN\tsource2\tName used for data exfiltration\t-\n' +
        'evil.test/x?a=1\tIntel::URL\thoneypot\t-\t-\n' +
        'd41d8cd98f00b204e9800998ecf8427e\tIntel::FILE_HASH\tmisp\t-\t-\n' +
        'user@evil.test\tIntel::EMAIL\tmisp\t-\t-\n',
    );
    expect(report).toEqual({ written: 6, rejected: [] });
  });

  it('renderZeek() rejects an indicator with whitespace rather than splitting a line', async () => {
    const report = createReport();
    const text = await collect(renderZeek([[{ indicator: 'a.test\t\tIntel::ADDR', type: 'domain', meta: [{ source: 's', pulseId: '', active: true }] }]], { report }));
    expect(text).toBe(ZEEK_HEADER);
    expect(report.rejected).toEqual([{ indicator: 'a.test\t\tIntel::ADDR', type: 'domain', reason: 'expected no whitespace in a Zeek indicator' }]);
  });
});
