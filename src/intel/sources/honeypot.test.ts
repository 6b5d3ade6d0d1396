import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { collectHoneypotIndicators, type HoneypotEvent, type ReadHoneypotEvents } from './honeypot.js';

const COWRIE = '/work/shared/fixtures/cowrie';

function fromFiles(files: string[], extra: HoneypotEvent[] = []): ReadHoneypotEvents {
  return async function* read(): AsyncGenerator<HoneypotEvent> {
    for (const file of files) {
      for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
        if (line.trim() !== '') yield JSON.parse(line) as HoneypotEvent;
      }
    }
    yield* extra;
  };
}

const KAREIVA = ['06', '09', '19'].map((d) => `${COWRIE}/kareiva-2018/cowrie.json.2018-05-${d}`);
const NOW = Date.parse('2018-05-20T00:00:00Z');

describe('collectHoneypotIndicators()', () => {
  it('collectHoneypotIndicators() lists brute-forcing addresses, download URLs, hosts and file hashes from Cowrie logs', async () => {
    const { records, bad } = await collectHoneypotIndicators(fromFiles(KAREIVA), { now: NOW, minAttempts: 3, maxAgeMs: 30 * 86_400_000 });
    expect(bad).toEqual([]);
    const byType = (t: string): string[] => records.filter((r) => r.type === t).map((r) => r.indicator);
    expect(byType('url')).toEqual(['http://mdb7.cn:8081/exp']);
    expect(byType('domain')).toEqual(['mdb7.cn']);
    expect(byType('sha256')).toEqual(['f8c28666f2f2beb599dcc62721c41a82f52e63721dd2d5629073033b32a93154']);
    expect(byType('ipv4').length).toBeGreaterThan(0);
    const url = records.find((r) => r.type === 'url')!;
    expect(url.meta).toEqual({
      source: 'honeypot', pulseId: '', description: 'download URL (1)', tags: ['honeypot'],
      firstSeen: Date.parse('2018-05-19T18:01:12.462313Z'), lastSeen: Date.parse('2018-05-19T18:01:12.462313Z'),
      expires: Date.parse('2018-05-19T18:01:12.462313Z') + 30 * 86_400_000, active: true,
    });
  });

  it('collectHoneypotIndicators() never lists a tunnel destination, even one that also brute-forced', async () => {
    const t = '2018-05-19T10:00:00.000000Z';
    const extra: HoneypotEvent[] = [
      ...Array.from({ length: 6 }, () => ({ eventid: 'cowrie.login.failed', src_ip: '172.217.21.174', timestamp: t })),
      ...Array.from({ length: 6 }, () => ({ eventid: 'cowrie.login.failed', src_ip: '45.33.32.156', timestamp: t })),
    ];
    const { records } = await collectHoneypotIndicators(fromFiles([`${COWRIE}/kareiva-2018/cowrie.json.2018-05-09`, `${COWRIE}/cowrie-3.0.12/tunnels-200.json`], extra), { now: NOW, minAttempts: 5 });
    const ips = records.filter((r) => r.type === 'ipv4').map((r) => r.indicator);
    expect(ips).toContain('45.33.32.156');
    expect(ips).not.toContain('172.217.21.174');
    expect(ips.some((ip) => ip.startsWith('198.51.100.') && ip !== '45.33.32.156')).toBe(false);
  });

  it('collectHoneypotIndicators() honours minimum attempts and maximum age', async () => {
    const few = await collectHoneypotIndicators(fromFiles(KAREIVA), { now: NOW, minAttempts: 100 });
    expect(few.records.filter((r) => r.type === 'ipv4').map((r) => `${r.indicator} ${r.meta.description}`)).toEqual([
      '185.222.209.151 login attempts (174)',
      '193.201.224.236 login attempts (313)',
    ]);
    const old = await collectHoneypotIndicators(fromFiles(KAREIVA), { now: NOW, maxAgeMs: 3_600_000 });
    expect(old.records).toEqual([]);
  });
});
