import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadIndicator } from '../bad-indicator.js';
import { createWhitelist, type Suppressed } from '../whitelist.js';
import { IndicatorSetBuilder, type IndicatorSet } from './indicator-set.js';
import { loadIndicatorSet } from './load-indicator-set.js';
import type { MalformedLine } from './malformed-line.js';
import { matchLogs } from './match-logs.js';
import type { IntelMatch, MatchScope } from './match-record.js';

const F = '/work/shared/fixtures/intel';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-match-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setOf(items: [string, 'ipv4' | 'cidr' | 'domain' | 'hostname' | 'url' | 'sha256'][]): IndicatorSet {
  const b = new IndicatorSetBuilder();
  for (const [indicator, type] of items) b.addItem({ indicator, type, meta: [{ source: 'test' }] });
  return b.build();
}

async function run(paths: string[], set: IndicatorSet, scope: MatchScope = 'all'): Promise<{ hits: [number, string, string][]; bad: MalformedLine[] }> {
  const matches: IntelMatch[] = [];
  const bad: MalformedLine[] = [];
  await matchLogs(paths, set, { scope, onMatch: (m) => void matches.push(m), onMalformed: (b) => void bad.push(b) });
  return { hits: matches.map((m) => [m.record.line, m.seen, m.where]), bad };
}

describe('matchLogs() on the SiLK samples', () => {
  it('matches flows.txt against iocs.txt like rwfilter --anyset, --sipset and --dipset', async () => {
    const bad: BadIndicator[] = [];
    const set = await loadIndicatorSet({ files: [`${F}/silk/iocs.txt`], bad });
    expect(bad).toEqual([]);
    const flows = `${F}/silk/flows.txt`;
    expect((await run([flows], set, 'any')).hits).toEqual([
      [2, '203.0.113.5', 'Conn::IN_RESP'],
      [3, '198.51.100.77', 'Conn::IN_ORIG'],
      [5, '192.0.2.6', 'Conn::IN_ORIG'],
    ]);
    expect((await run([flows], set, 'sip')).hits.map((h) => h[0])).toEqual([3, 5]);
    expect((await run([flows], set, 'dip')).hits.map((h) => h[0])).toEqual([2]);
  });

  it('loadIndicatorSet() expands rwsetbuild wildcards and integers as rwsetcat counts them (774 addresses)', async () => {
    const set = await loadIndicatorSet({ files: [`${F}/silk/iocs.txt`], bad: [] });
    let count = 0;
    for (const a of [10, 192, 198, 203]) for (let b = 0; b < 256; b++) for (let c = 0; c < 256; c++) {
      const base = ((a * 256 + b) * 256 + c) * 256;
      for (let d = 0; d < 256; d++) if (set.ips.lookupV4(base + d) !== -1) count++;
    }
    expect(count).toBe(774);
    expect(set.ips.ids('10.1.2.4').map((id) => set.entries[id]!.indicator)).toEqual(['10.x.1-2.4', '167838212']);
  });

  it('reads padded rwcut output (IPv6-width columns) and --delimited output alike', async () => {
    const padded = join(dir, 'rwcut.txt');
    await writeFile(
      padded,
      [
        '                                    sIP|                                    dIP|sPort|dPort|pro|   packets|     bytes|   flags|                  sTime| duration|                  eTime|sen|',
        '                               10.0.0.5|                            203.0.113.5|51000|  443|  6|        12|      4200|FS PA   |2025/01/01T10:00:00.000|    1.500|2025/01/01T10:00:01.500|  0|',
        '                          198.51.100.77|                               10.0.0.6|   53|40000| 17|         1|       120|        |2025/01/01T10:00:01.250|    0.000|2025/01/01T10:00:01.250|  0|',
        '',
      ].join('\n'),
    );
    const delimited = join(dir, 'rwcut-delimited.txt');
    await writeFile(delimited, 'sIP|dIP|sPort|dPort|protocol\n10.0.0.7|8.8.8.8|40001|53|17\n192.0.2.6|192.0.2.99|1234|80|6\n');
    const set = await loadIndicatorSet({ files: [`${F}/silk/iocs.txt`], bad: [] });
    const paddedHits = (await run([padded], set)).hits;
    expect(paddedHits).toEqual([
      [2, '203.0.113.5', 'Conn::IN_RESP'],
      [3, '198.51.100.77', 'Conn::IN_ORIG'],
    ]);
    expect((await run([delimited], set)).hits).toEqual([[3, '192.0.2.6', 'Conn::IN_ORIG']]);
  });

  it('reads CSV flows with a header naming the address columns', async () => {
    const csv = join(dir, 'flows.csv');
    await writeFile(csv, 'start,src_ip,dst_ip,src_port,dst_port\n2025-01-01T10:00:00Z,10.0.0.5,203.0.113.5,51000,443\n2025-01-01T10:00:01Z,10.0.0.5,198.51.99.1,51001,443\n');
    const { hits } = await run([csv], setOf([['203.0.113.0/24', 'cidr']]));
    expect(hits).toEqual([[2, '203.0.113.5', 'Conn::IN_RESP']]);
  });
});

describe('matchLogs() on the Zeek samples', () => {
  it('matches conn.log (TSV) addresses as originator and responder', async () => {
    const set = setOf([['10.47.25.80', 'ipv4'], ['10.128.0.216/30', 'cidr']]);
    const { hits, bad } = await run([`${F}/zeek/conn.log.brimdata-zed.tsv`], set);
    expect(bad).toEqual([]);
    expect(hits).toEqual([
      [10, '10.47.25.80', 'Conn::IN_ORIG'], [10, '10.128.0.218', 'Conn::IN_RESP'],
      [11, '10.47.25.80', 'Conn::IN_ORIG'], [11, '10.128.0.218', 'Conn::IN_RESP'],
      [12, '10.47.25.80', 'Conn::IN_ORIG'], [12, '10.128.0.218', 'Conn::IN_RESP'],
      [13, '10.47.25.80', 'Conn::IN_ORIG'], [13, '10.128.0.218', 'Conn::IN_RESP'],
      [51, '10.47.25.80', 'Conn::IN_RESP'],
      [88, '10.47.25.80', 'Conn::IN_RESP'],
      [91, '10.47.25.80', 'Conn::IN_RESP'],
    ]);
    expect((await run([`${F}/zeek/conn.log.brimdata-zed.tsv`], set, 'sip')).hits.map((h) => h[0])).toEqual([10, 11, 12, 13]);
  });

  it('matches dns.log queries in TSV and JSON, with subdomain and exact semantics', async () => {
    const parent = setOf([['wrccdc.org', 'domain']]);
    const tsv = await run([`${F}/zeek/dns.log.wrccdc-zeek6.2-head60.tsv`], parent);
    expect(tsv.hits).toHaveLength(52);
    expect(tsv.hits[0]).toEqual([9, 'ise.wrccdc.org', 'DNS::IN_REQUEST']);
    const json = await run([`${F}/zeek/dns.json.wrccdc-zeek6.2-jsonstreaming-head30.ndjson`], parent);
    expect(json.hits).toHaveLength(30);
    expect(json.hits[0]).toEqual([1, 'ise.wrccdc.org', 'DNS::IN_REQUEST']);
    expect((await run([`${F}/zeek/dns.log.wrccdc-zeek6.2-head60.tsv`], setOf([['wrccdc.org', 'hostname']]))).hits).toEqual([]);
    expect((await run([`${F}/zeek/dns.log.wrccdc-zeek6.2-head60.tsv`], setOf([['ise.wrccdc.org', 'hostname']]))).hits).toHaveLength(52);
  });

  it('matches the addresses and names a DNS answer carries, as DNS::IN_RESPONSE', async () => {
    const c2 = setOf([
      ['134.71.3.16', 'ipv4'],
      ['cpp.edu', 'domain'],
    ]);
    const expected = [
      [9, 'ise.wrccdc.cpp.edu', 'DNS::IN_RESPONSE'],
      [9, '134.71.3.16', 'DNS::IN_RESPONSE'],
    ];
    const tsv = await run([`${F}/zeek/dns.log.wrccdc-zeek6.2-head60.tsv`], c2);
    expect(tsv.hits.slice(0, 2)).toEqual(expected);
    const json = await run([`${F}/zeek/dns.json.wrccdc-zeek6.2-jsonstreaming-head30.ndjson`], c2);
    expect(json.hits.slice(0, 2)).toEqual(expected.map(([, seen, where]) => [1, seen, where]));
    // Every answer names the CNAME; 18 of the 30 also carry the address.
    expect(json.hits).toHaveLength(48);
  });

  it('reads conn JSON (Zeek docs) and a btest baseline with its banner line', async () => {
    const json = await run([`${F}/zeek/conn.json.zeek-docs.ndjson`], setOf([['31.3.245.133', 'ipv4']]));
    expect(json.hits).toEqual([[2, '31.3.245.133', 'Conn::IN_RESP']]);
    const btest = await run([`${F}/zeek/dns.log.zeek-btest-8x-flip.tsv`], setOf([['0.0.0.0/0', 'cidr']]));
    expect(btest.bad).toEqual([]);
    expect(btest.hits.length).toBeGreaterThan(0);
  });

  it('matches http.log hosts and URLs and files.log hashes', async () => {
    const http = join(dir, 'http.log');
    await writeFile(http, '#separator \\x09\n#path\thttp\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\thost\turi\n1.5\tC1\t10.0.0.1\t1234\t10.0.0.2\t80\twww.evil.test\t/x.sh\n2.5\tC2\t10.0.0.1\t1235\t10.0.0.3\t80\tgood.test\t/payload.bin\n');
    const files = join(dir, 'files.json');
    const sha = 'a'.repeat(64);
    await writeFile(files, `${JSON.stringify({ _path: 'files', ts: 3, fuid: 'F1', tx_hosts: ['10.0.0.3'], rx_hosts: ['10.0.0.1'], mime_type: 'application/x-dosexec', sha256: sha })}\n`);
    const set = setOf([['evil.test', 'domain'], ['http://good.test/payload.bin', 'url'], [sha, 'sha256']]);
    expect((await run([http, files], set)).hits).toEqual([
      [4, 'www.evil.test', 'HTTP::IN_HOST_HEADER'],
      [5, 'good.test/payload.bin', 'HTTP::IN_URL'],
      [1, sha, 'Files::IN_HASH'],
    ]);
  });
});

describe('loadIndicatorSet() with intel feed files', () => {
  it('reads a Zeek intel file through the intel reader, with exact or subdomain semantics', async () => {
    const dns = join(dir, 'reddit-dns.json');
    await writeFile(dns, ['www.reddit.com', 'old.www.reddit.com'].map((q, i) => JSON.stringify({ _path: 'dns', ts: i, 'id.orig_h': '10.0.0.1', query: q })).join('\n') + '\n');
    const loose = await loadIndicatorSet({ files: [`${F}/zeek/intel-input.basic.txt`], bad: [] });
    expect((await run([dns], loose)).hits).toEqual([[1, 'www.reddit.com', 'DNS::IN_REQUEST'], [2, 'old.www.reddit.com', 'DNS::IN_REQUEST']]);
    const exact = await loadIndicatorSet({ files: [`${F}/zeek/intel-input.basic.txt`], bad: [], exactDomains: true });
    expect((await run([dns], exact)).hits).toEqual([[1, 'www.reddit.com', 'DNS::IN_REQUEST']]);
    expect(exact.entries).toEqual([{ indicator: 'www.reddit.com', type: 'domain', sources: ['file:intel-input.basic.txt'] }]);
  });

  it('reports bad SiLK list lines with file and line and keeps the rest', async () => {
    const list = join(dir, 'bad-list.txt');
    await writeFile(list, '203.0.113.5\n10.x.0.0/16\n198.51.100.0/24\n');
    const bad: BadIndicator[] = [];
    const set = await loadIndicatorSet({ files: [list], bad });
    expect(bad).toEqual([{ source: 'file:bad-list.txt', location: `${list}:2`, value: '10.x.0.0/16', reason: 'Cannot parse IP list entry "10.x.0.0/16": wildcards cannot take a CIDR suffix' }]);
    expect(set.entries.map((e) => e.indicator)).toEqual(['203.0.113.5', '198.51.100.0/24']);
  });
});

describe('matchLogs() on the BIND samples', () => {
  it('matches RPZ and query log lines by name and client address', async () => {
    const set = setOf([['bad.test', 'domain'], ['tcponly.test', 'hostname'], ['127.0.0.77', 'ipv4']]);
    const rpz = await run([`${F}/bind/captured/rpz.log.part1`], set);
    expect(rpz.bad).toEqual([]);
    expect(rpz.hits).toEqual([
      [1, 'bad.test', 'DNS::IN_REQUEST'],
      [2, 'x.sub.bad.test', 'DNS::IN_REQUEST'],
      [5, 'tcponly.test', 'DNS::IN_REQUEST'],
      [12, '127.0.0.77', 'Conn::IN_ORIG'],
    ]);
    const query = await run([`${F}/bind/captured/query.log.part1`], set);
    expect(query.bad).toEqual([]);
    expect(query.hits).toEqual([
      [2, 'bad.test', 'DNS::IN_REQUEST'],
      [3, 'tcponly.test', 'DNS::IN_REQUEST'],
      [4, 'tcponly.test', 'DNS::IN_REQUEST'],
      [5, '127.0.0.77', 'Conn::IN_ORIG'],
      [6, 'bad.test', 'DNS::IN_REQUEST'],
      [9, 'tcponly.test', 'DNS::IN_REQUEST'],
    ]);
  });

  it('reads a full named.log, skipping lines that are neither queries nor RPZ hits', async () => {
    const { hits, bad } = await run([`${F}/bind/captured/named.log.part2`], setOf([['evil.test', 'domain']]));
    expect(bad).toEqual([]);
    expect(hits.every(([, seen]) => seen.endsWith('evil.test'))).toBe(true);
  });
});

describe('matchLogs() on other formats', () => {
  it('reads gzip, access logs and the honeypot event log', async () => {
    const access = join(dir, 'access.log.gz');
    await writeFile(access, gzipSync('203.0.113.9 - - [10/Oct/2025:13:55:36 -0700] "GET http://c2.test/gate.php HTTP/1.1" 200 2326 "-" "curl/8"\n198.51.100.1 - frank [10/Oct/2025:13:55:37 -0700] "GET / HTTP/1.1" 200 10 "-" "x"\n'));
    const events = join(dir, 'cowrie.json');
    await writeFile(
      events,
      [
        { eventid: 'cowrie.session.connect', timestamp: '2025-01-01T00:00:00.000000Z', session: 's1', src_ip: '203.0.113.9', src_port: 4000 },
        { eventid: 'cowrie.direct-tcpip.request', timestamp: '2025-01-01T00:00:01.000000Z', session: 's1', src_ip: '203.0.113.9', dst_ip: 'smtp.c2.test', dst_port: 25 },
        { eventid: 'honeyscope.scan.result', timestamp: '2025-01-01T00:00:02.000000Z', session: 's1', shasum: 'b'.repeat(64), verdict: 'infected' },
      ].map((e) => JSON.stringify(e)).join('\n') + '\n',
    );
    const set = setOf([['203.0.113.9', 'ipv4'], ['c2.test', 'domain'], ['b'.repeat(64), 'sha256']]);
    expect((await run([access], set)).hits).toEqual([
      [1, '203.0.113.9', 'Conn::IN_ORIG'],
      [1, 'c2.test', 'HTTP::IN_HOST_HEADER'],
    ]);
    expect((await run([events], set)).hits).toEqual([
      [1, '203.0.113.9', 'SSH::IN_CLIENT_ADDR'],
      [2, '203.0.113.9', 'SSH::IN_CLIENT_ADDR'],
      [2, 'smtp.c2.test', 'Tunnel::IN_DEST'],
      [3, 'b'.repeat(64), 'Files::IN_HASH'],
    ]);
  });

  it('reports malformed lines with file and line and carries on', async () => {
    const conn = join(dir, 'broken-conn.log');
    await writeFile(conn, '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n1.0\tC1\t10.0.0.1\t1\t203.0.113.5\t2\ngarbage\n2.0\tC2\t10.0.0.1\t1\t203.0.113.5\t2\n');
    const flows = join(dir, 'broken-flows.txt');
    await writeFile(flows, 'sIP|dIP|sPort|dPort|\n10.0.0.1|not-an-ip|1|2|\n10.0.0.1|203.0.113.5|1|2|\n');
    const bind = join(dir, 'broken-query.log');
    await writeFile(bind, '28-Nov-2026 17:03:34.643 queries: info: client 127.0.0.1: query: ???\n28-Nov-2026 17:03:34.803 queries: info: client @0x1 127.0.0.1#36596 (bad.test): query: bad.test IN A +E(0) (127.0.0.1)\n');
    const { hits, bad } = await run([conn, flows, bind], setOf([['203.0.113.5', 'ipv4'], ['bad.test', 'domain']]));
    expect(hits.map(([line, seen]) => [line, seen])).toEqual([[4, '203.0.113.5'], [6, '203.0.113.5'], [3, '203.0.113.5'], [2, 'bad.test']]);
    expect(bad).toEqual([
      { file: conn, line: 5, reason: 'Cannot parse Zeek log line: expected 6 fields, found 1' },
      { file: flows, line: 2, reason: 'Cannot parse flow record: destination address "not-an-ip" is not an IP address' },
      { file: bind, line: 1, reason: 'Cannot parse BIND log line: expected "client [@PTR] ADDRESS#PORT (NAME): "' },
    ]);
  });

  it('rejects a file whose format cannot be detected', async () => {
    const odd = join(dir, 'odd.txt');
    await writeFile(odd, 'hello world\n');
    await expect(run([odd], setOf([]))).rejects.toThrow(
      `Cannot detect the format of "${odd}": expected rwcut output, CSV flows, a Zeek log (TSV or JSON), a BIND query or RPZ log, a combined access log or Cowrie JSON events`,
    );
  });
});

describe('matchLogs() with a whitelist', () => {
  it('loadIndicatorSet() leaves out indicators the whitelist covers and matchRecord() never matches a whitelisted value, as exports do', async () => {
    const feed = join(dir, 'wl-feed.txt');
    await writeFile(feed, ['203.0.113.7', '203.0.113.0/24', '198.51.100.9', 'evil.example.com', 'bad.test', '10.0.0.0/8'].join('\n'));
    const silk = join(dir, 'wl-silk.txt');
    await writeFile(silk, '192.0.2.0/24\n');
    const log = join(dir, 'wl-conn.json');
    await writeFile(log, [
      { ts: 1, uid: 'W1', 'id.orig_h': '203.0.113.7', 'id.orig_p': 1, 'id.resp_h': '10.0.0.1', 'id.resp_p': 22 },
      { ts: 2, uid: 'W2', 'id.orig_h': '198.51.100.9', 'id.orig_p': 1, 'id.resp_h': '192.0.2.5', 'id.resp_p': 53, query: 'evil.example.com' },
      { ts: 3, uid: 'W3', 'id.orig_h': '192.0.2.66', 'id.orig_p': 1, 'id.resp_h': '192.0.2.53', 'id.resp_p': 53, query: 'Good.Bad.Test.' },
      { ts: 4, uid: 'W4', 'id.orig_h': '192.0.2.66', 'id.orig_p': 1, 'id.resp_h': '192.0.2.53', 'id.resp_p': 53, query: 'other.bad.test' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const whitelist = createWhitelist(['*.example.com', '10.0.0.0/8', '203.0.113.7', 'good.bad.test', '192.0.2.66']);
    const suppressed: Suppressed[] = [];
    const set = await loadIndicatorSet({ files: [feed, silk], bad: [], whitelist, suppressed });
    expect(suppressed).toEqual([
      { indicator: '203.0.113.7', type: 'ipv4', rule: '203.0.113.7' },
      { indicator: '203.0.113.0/24', type: 'cidr', rule: '203.0.113.7' },
      { indicator: 'evil.example.com', type: 'domain', rule: '*.example.com' },
      { indicator: '10.0.0.0/8', type: 'cidr', rule: '10.0.0.0/8' },
    ]);
    expect((await run([log], set)).hits).toEqual([
      [2, '198.51.100.9', 'Conn::IN_ORIG'],
      [2, '192.0.2.5', 'Conn::IN_RESP'],
      [3, '192.0.2.53', 'Conn::IN_RESP'],
      [4, '192.0.2.53', 'Conn::IN_RESP'],
      [4, 'other.bad.test', 'DNS::IN_REQUEST'],
    ]);
  });
});
