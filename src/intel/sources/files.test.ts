import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import type { IntelRecord } from '../indicator.js';
import { detectFeedFormat, readIntelFile } from './files.js';

const F = '/work/shared/fixtures/intel';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-feeds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(path: string, source?: string): Promise<{ records: IntelRecord[]; bad: BadIndicator[] }> {
  const bad: BadIndicator[] = [];
  const records: IntelRecord[] = [];
  for await (const r of readIntelFile(path, { bad, ...(source ? { source } : {}) })) records.push(r);
  return { records, bad };
}

const values = (records: IntelRecord[]): string[] => records.map((r) => `${r.type}:${r.indicator}`);

describe('readIntelFile()', () => {
  it('readIntelFile() detects each fixture format by content', async () => {
    expect(await detectFeedFormat(`${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt`)).toBe('drop');
    expect(await detectFeedFormat(`${F}/formats/blocklists/feodo_ipblocklist.csv.2021-excerpt`)).toBe('csv');
    expect(await detectFeedFormat(`${F}/formats/blocklists/urlhaus_hostfile.2020-excerpt.txt`)).toBe('hosts');
    expect(await detectFeedFormat(`${F}/formats/blocklists/et_compromised-ips.excerpt.txt`)).toBe('list');
    expect(await detectFeedFormat(`${F}/formats/stix/indicators-for-C2-with-COA.stix21.json`)).toBe('stix');
    expect(await detectFeedFormat(`${F}/formats/misp`)).toBe('misp-feed');
    expect(await detectFeedFormat(`${F}/formats/misp/57c4445b-c548-4654-af0b-4be3950d210f.json`)).toBe('misp-event');
    expect(await detectFeedFormat(`${F}/zeek/intel-input.donotice.txt`)).toBe('zeek');
  });

  it('readIntelFile() reads a Spamhaus DROP list with SBL ids as descriptions', async () => {
    const { records, bad } = await read(`${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt`, 'spamhaus');
    expect(bad).toEqual([]);
    expect(values(records).slice(0, 2)).toEqual(['cidr:1.4.0.0/17', 'cidr:1.10.16.0/20']);
    expect(records[0]!.meta).toMatchObject({ source: 'spamhaus', pulseId: '', description: 'SBL256893', active: true });
  });

  it('readIntelFile() reads the Feodo CSV by its dst_ip column and the malware as description', async () => {
    const { records, bad } = await read(`${F}/formats/blocklists/feodo_ipblocklist.csv.2021-excerpt`);
    expect(bad).toEqual([]);
    expect(values(records)).toEqual(['ipv4:67.213.75.205', 'ipv4:51.178.161.32', 'ipv4:162.144.127.197']);
    expect(records[0]!.meta).toMatchObject({ source: 'file:feodo_ipblocklist.csv.2021-excerpt', description: 'Dridex' });
  });

  it('readIntelFile() reads hosts files and bare IP lists', async () => {
    const hosts = await read(`${F}/formats/blocklists/urlhaus_hostfile.2020-excerpt.txt`);
    expect(values(hosts.records).slice(0, 2)).toEqual(['domain:123evdenevenakliyat.com', 'domain:1home.az']);
    expect(hosts.bad).toEqual([]);
    const et = await read(`${F}/formats/blocklists/et_compromised-ips.excerpt.txt`);
    expect(et.records).toHaveLength(10);
    expect(et.bad).toEqual([]);
  });

  it('readIntelFile() reads STIX 2.1 indicators and MISP feeds (to_ids attributes only)', async () => {
    const stix = await read(`${F}/formats/stix/indicators-for-C2-with-COA.stix21.json`, 'stix');
    expect(values(stix.records)).toEqual(['ipv4:10.0.0.0', 'sha256:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']);
    expect(stix.records[0]!.meta).toMatchObject({ pulseId: 'indicator--53fe3b22-0201-47cf-85d0-97c02164528d', pulseName: 'IP Address for known C2 channel', tags: ['malicious-activity'] });
    const misp = await read(`${F}/formats/misp`, 'circl');
    expect(values(misp.records)).toEqual([
      'md5:0749bae92ca336a02c83d126e04ec628',
      'sha1:77b0c41b7d340b8a3d903f21347bbf06aa766b5b',
      'sha256:b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
    ]);
    expect(misp.records[0]!.meta).toMatchObject({ source: 'circl', pulseId: '57c4445b-c548-4654-af0b-4be3950d210f', pulseName: 'Ransomware - Xorist', author: 'CIRCL', tlp: 'white' });
  });

  it('readIntelFile() reads Zeek intel files with their meta.source', async () => {
    const { records, bad } = await read(`${F}/zeek/intel-input.donotice.txt`);
    expect(bad).toEqual([]);
    expect(values(records)).toEqual(['ipv4:1.2.3.4', 'domain:a.b.com']);
    expect(records[0]!.meta).toMatchObject({ pulseName: 'source1', description: 'Sending phishing email', url: 'http://source1.com/badhosts/1.2.3.4' });
  });

  it('readIntelFile() reports bad lines with file and line, skips them and keeps every good one', async () => {
    const file = join(dir, 'mixed.txt');
    await writeFile(file, '# my list\r\n203.0.113.5\r\nnot a domain\r\n198.51.100.0/33\r\n\r\nEvil.Example.\r\n198.51.100.7:8080 # with port\r\n2001:DB8::1\r\n');
    const { records, bad } = await read(file, 'mine');
    expect(values(records)).toEqual(['ipv4:203.0.113.5', 'domain:evil.example', 'ipv4:198.51.100.7', 'ipv6:2001:db8::1']);
    expect(bad).toEqual([
      { source: 'mine', location: `${file}:3`, value: 'not a domain', reason: 'Invalid indicator "not a domain": expected an IP address, CIDR, domain, URL, email or MD5/SHA-1/SHA-256 hash' },
      { source: 'mine', location: `${file}:4`, value: '198.51.100.0/33', reason: 'Invalid indicator "198.51.100.0/33": expected an IP address, CIDR, domain, URL, email or MD5/SHA-1/SHA-256 hash' },
    ]);
  });

  it('readIntelFile() rejects RPZ trigger names, non-names and too-broad or host-bit CIDRs with file and line', async () => {
    const file = join(dir, 'hostile.txt');
    const lines = ['203.0.113.7', '32.1.0.0.10.rpz-ip', 'ns.rpz-nsdname', 'x.rpz-client-ip', 'rpz-passthru.example', '0.0.0.0/0', '::/0', '10.0.0.1/8', '10.x.1-2.4', '0x7f.1', '192.168.1.1-192.168.1.5', '10.0.0.0/8'];
    await writeFile(file, `${lines.join('\n')}\n`);
    const { records, bad } = await read(file, 'hostile');
    expect(values(records)).toEqual(['ipv4:203.0.113.7', 'cidr:10.0.0.0/8']);
    expect(bad.map((b) => `${b.location.slice(dir.length + 1)} ${b.reason}`)).toEqual([
      'hostile.txt:2 Invalid domain "32.1.0.0.10.rpz-ip": label "rpz-ip" is an RPZ trigger or action label, expected none starting with "rpz-"',
      'hostile.txt:3 Invalid domain "ns.rpz-nsdname": label "rpz-nsdname" is an RPZ trigger or action label, expected none starting with "rpz-"',
      'hostile.txt:4 Invalid domain "x.rpz-client-ip": label "rpz-client-ip" is an RPZ trigger or action label, expected none starting with "rpz-"',
      'hostile.txt:5 Invalid domain "rpz-passthru.example": label "rpz-passthru" is an RPZ trigger or action label, expected none starting with "rpz-"',
      'hostile.txt:6 Invalid cidr "0.0.0.0/0": expected a prefix of at least /8 for IPv4, found /0',
      'hostile.txt:7 Invalid cidr "::/0": expected a prefix of at least /16 for IPv6, found /0',
      'hostile.txt:8 Invalid cidr "10.0.0.1/8": host bits are set, expected the network address 10.0.0.0/8 or a single address',
      'hostile.txt:9 Invalid domain "10.x.1-2.4": expected a top-level domain of letters (or xn-- punycode) last, found "4"',
      'hostile.txt:10 Invalid domain "0x7f.1": expected a name, found a number',
      'hostile.txt:11 Invalid domain "192.168.1.1-192.168.1.5": expected a top-level domain of letters (or xn-- punycode) last, found "5"',
    ]);
  });

  it('readIntelFile() reads JSON documents whole: its own JSON export, pretty-printed arrays and OTX pulse pages', async () => {
    const exported = join(dir, 'export.json');
    await writeFile(exported, `[\n${JSON.stringify({ indicator: '198.51.100.0/24', type: 'cidr', meta: [{ source: 'x', pulseId: '', description: 'SBL1', active: true }] })},\n${JSON.stringify({ indicator: 'evil.example', type: 'domain', meta: [] })}\n]\n`);
    expect(await detectFeedFormat(exported)).toBe('json');
    const own = await read(exported, 'again');
    expect(own.bad).toEqual([]);
    expect(values(own.records)).toEqual(['cidr:198.51.100.0/24', 'domain:evil.example']);
    expect(own.records[0]!.meta).toMatchObject({ source: 'again', pulseId: '', description: 'SBL1' });
    const strings = join(dir, 'strings.json');
    await writeFile(strings, '[\n  "1.2.3.7",\n  "evil2.example"\n]\n');
    expect(values((await read(strings)).records)).toEqual(['ipv4:1.2.3.7', 'domain:evil2.example']);
    const otx = await read(`${F}/otx/elastic_pulses_subscribed_page1.json`, 'otx-file');
    expect(otx.bad).toEqual([]);
    expect(otx.records.map((r) => r.type)).toEqual(['md5', 'sha1', 'ipv4', 'domain']);
    expect(otx.records[3]!.meta).toMatchObject({ source: 'otx-file', pulseId: '64e38336d783f91d6948a7b1', pulseName: 'Sample Pulse', author: 'SampleUser', tlp: 'white' });
    expect((await read(`${F}/otx/tipbot_search_pulses_2017.json`)).records).toHaveLength(12);
    expect(values((await read(`${F}/otx/elastic_indicators_export_page1.json`)).records)).toEqual(['hostname:info.3000uc.com', 'hostname:ndns.hcxiaoao.com']);
  });

  it('readIntelFile() still streams JSON lines, one object per line', async () => {
    const file = join(dir, 'drop.ndjson');
    await writeFile(file, '{"cidr":"1.10.16.0/20","sblid":"SBL256894"}\n{"type":"metadata","records":1}\n');
    expect(await detectFeedFormat(file)).toBe('ndjson');
    const { records } = await read(file);
    expect(values(records)).toEqual(['cidr:1.10.16.0/20']);
    expect(records[0]!.meta.description).toBe('SBL256894');
  });

  it('readIntelFile() refuses a feed that yields no indicator, unless allowEmpty', async () => {
    const file = join(dir, 'rejected.txt');
    await writeFile(file, 'not an indicator\n');
    await expect(read(file)).rejects.toThrow(
      new HoneyscopeError('HS_INTEL', `Cannot import feed "${file}": it yields no indicator (1 entry skipped), expected at least one; "intel import --allow-empty" empties a source on purpose`),
    );
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    const records: IntelRecord[] = [];
    for await (const r of readIntelFile(empty, { bad: [], allowEmpty: true })) records.push(r);
    expect(records).toEqual([]);
  });

  it('readIntelFile() refuses binary files, naming a binary SiLK IPset and rwsetcat', async () => {
    const set = `${F}/silk/iocs.set`;
    await expect(read(set)).rejects.toThrow(
      new HoneyscopeError('HS_INTEL', `Cannot read "${set}": it is a binary SiLK file (magic DE AD BE EF), expected text; run "rwsetcat ${set}" and give its output instead`),
    );
    const file = join(dir, 'bin.dat');
    await writeFile(file, Buffer.from('203.0.113.5\n\u0000\u0001'));
    await expect(read(file)).rejects.toThrow(new HoneyscopeError('HS_INTEL', `Cannot read feed "${file}": it is binary (a NUL byte at offset 12), expected a text or JSON feed`));
  });

  it('readIntelFile() refuses an HTML error page', async () => {
    const file = join(dir, 'error.html');
    await writeFile(file, '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n');
    await expect(read(file)).rejects.toThrow(new HoneyscopeError('HS_INTEL', `Cannot read feed "${file}": it is an HTML or XML page, expected a list of indicators`));
  });
});
