import { describe, expect, it } from 'vitest';
import { createReport } from './exporter.js';
import { renderCsv } from './csv.js';
import type { IntelItem } from '../indicator.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

const items: IntelItem[] = [
  { indicator: 'evil.test', type: 'domain', meta: [{ source: 'otx', pulseId: 'p1', pulseName: 'Say "hi", ok', author: 'A', tags: ['x', 'y'], tlp: 'white', firstSeen: 0, active: true, description: 'two\nlines' }] },
];

describe('renderCsv()', () => {
  it('renderCsv() quotes commas, quotes and line breaks per RFC 4180', async () => {
    expect(await collect(renderCsv([items], { report: createReport() }))).toBe(
      'indicator,type,source,pulse_id,pulse_name,author,tlp,tags,first_seen,last_seen,expires,active,url,description\r\n' +
        'evil.test,domain,otx,p1,"Say ""hi"", ok",A,white,x;y,1970-01-01T00:00:00.000Z,,,true,,"two\nlines"\r\n',
    );
  });

  it('renderCsv() defuses cells a spreadsheet would run as a formula (CSV injection from feed text)', async () => {
    const hostile: IntelItem[] = [
      { indicator: '198.51.100.1', type: 'ipv4', meta: [{ source: 'file:x.txt', pulseId: '', pulseName: '+cmd', author: '@SUM(A1)', tags: ['-1'], active: true, description: '=HYPERLINK("http://x","y")' }] },
    ];
    expect(await collect(renderCsv([hostile], { report: createReport() }))).toContain(
      `198.51.100.1,ipv4,file:x.txt,,'+cmd,'@SUM(A1),,'-1,,,,true,,"'=HYPERLINK(""http://x"",""y"")"\r\n`,
    );
  });
});
