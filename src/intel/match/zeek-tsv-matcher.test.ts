import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../lib/seeded-random.js';
import { IndicatorSetBuilder, type IndicatorSet } from './indicator-set.js';
import type { MalformedLine } from './malformed-line.js';
import { matchRecord, type IntelMatch, type MatchScope } from './match-record.js';
import { formatIpv4 } from './parse-ip.js';
import { readLogBatches } from './read-log-records.js';
import { ZeekTsvMatcher } from './zeek-tsv-matcher.js';

const F = '/work/shared/fixtures/intel/zeek';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-zeek-matcher-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  records: number;
  matches: [number, string, string, string, string[]][];
  bad: MalformedLine[];
}

const view = (m: IntelMatch): Outcome['matches'][number] => [m.record.line, m.record.raw, m.seen, m.where, m.entries.map((e) => e.indicator)];

/** The reference: every line through the record parser and matchRecord. */
async function byRecords(path: string, set: IndicatorSet, scope: MatchScope): Promise<Outcome> {
  const out: Outcome = { records: 0, matches: [], bad: [] };
  for await (const batch of readLogBatches(path, { format: 'zeek-tsv', onMalformed: (b) => void out.bad.push(b) })) {
    out.records += batch.length;
    for (const record of batch) out.matches.push(...matchRecord(set, record, scope).map(view));
  }
  return out;
}

/** The byte matcher, fed the file in chunks cut at random places (inside lines and UTF-8 characters too). */
async function byBytes(path: string, set: IndicatorSet, scope: MatchScope, seed: number): Promise<Outcome> {
  const out: Outcome = { records: 0, matches: [], bad: [] };
  const matcher = new ZeekTsvMatcher(path, set, scope, (b) => void out.bad.push(b));
  const bytes = await readFile(path);
  const random = seededRandom(seed);
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * 300);
    out.matches.push(...matcher.push(bytes.subarray(at, at + size)).map(view));
    at += size;
  }
  out.matches.push(...matcher.end().map(view));
  out.records = matcher.records;
  return out;
}

function setOf(addresses: string[]): IndicatorSet {
  const b = new IndicatorSetBuilder();
  for (const a of addresses) b.addItem({ indicator: a, type: a.includes('/') ? 'cidr' : a.includes(':') ? 'ipv6' : 'ipv4', meta: [{ source: 'test' }] });
  b.addItem({ indicator: 'example.com', type: 'domain', meta: [{ source: 'test' }] });
  return b.build();
}

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring',
];

/** A conn.log with every kind of awkward line a byte reader could get wrong. */
function hostileConnLog(seed: number, lines: number): string {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const address = (): string =>
    pick([
      () => `198.51.100.${Math.floor(random() * 256)}`,
      () => formatIpv4(Math.floor(random() * 2 ** 32)),
      () => `2001:db8::${Math.floor(random() * 65536).toString(16)}`,
      () => `::ffff:198.51.100.${Math.floor(random() * 256)}`,
      () => '-',
      () => '(empty)',
      () => '01.2.3.4',
      () => '198.51.100.256',
      () => '198.51.100.7.1',
      () => '198.51.100',
      () => 'fe80::1%eth0',
      () => 'not:an:address',
      () => 'ä.ö.ü.ß',
    ])();
  const out = [...HEADER];
  for (let i = 0; i < lines; i++) {
    const r = random();
    const cells = [`${1521911721 + i}.5`, `C${i}`, address(), '40000', address(), '443', 'tcp', pick(['ssl', '-', 'http', 'dns\u00e9'])];
    if (r < 0.04) cells.pop();
    else if (r < 0.06) cells.push('extra');
    let line = cells.join('\t');
    if (r > 0.97) line += '\r';
    if (r > 0.95 && r <= 0.97) line = '';
    out.push(line);
    if (i === Math.floor(lines / 2)) out.push('#fields\tts\tid.resp_h\tid.orig_h\tnote', '#types\ttime\taddr\taddr\tstring');
    if (i > lines / 2 && r < 0.5) out[out.length - 1] = [`${i}`, address(), address(), 'x'].join('\t');
  }
  out.push('#close\t2026-11-28-00-00-00');
  out.push(['1', '198.51.100.9', '198.51.100.10', 'last line without newline'].join('\t'));
  return out.join('\n');
}

describe('ZeekTsvMatcher', () => {
  const listed = ['198.51.100.0/26', '198.51.100.200', '2001:db8::/112', '10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'];

  it('finds on the Zeek fixtures exactly what the record parser finds', async () => {
    for (const name of ['conn.log.brimdata-zed.tsv', 'conn.log.zeek-btest-8x-missing-syn.tsv', 'dns.log.wrccdc-zeek6.2-head60.tsv', 'dns.log.zeek-btest-8x-flip.tsv']) {
      const path = `${F}/${name}`;
      const text = await readFile(path, 'utf8');
      const addresses = [...new Set(text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? [])].filter((_, i) => i % 2 === 0);
      const set = setOf([...addresses, ...listed]);
      for (const scope of ['all', 'any', 'sip', 'dip'] as const) {
        const expected = await byRecords(path, set, scope);
        expect(await byBytes(path, set, scope, 1), `${name} ${scope}`).toEqual(expected);
      }
    }
  });

  it('agrees with the record parser on hostile lines cut at random places', async () => {
    const path = join(dir, 'conn.log');
    await writeFile(path, hostileConnLog(7, 3000));
    const set = setOf(listed);
    for (const scope of ['all', 'sip', 'dip'] as const) {
      const expected = await byRecords(path, set, scope);
      expect(expected.matches.length).toBeGreaterThan(100);
      expect(expected.bad.length).toBeGreaterThan(50);
      for (const seed of [1, 2, 3]) expect(await byBytes(path, set, scope, seed)).toEqual(expected);
    }
  });

  it('reports a malformed flow line with file, line and the field counts', async () => {
    const path = join(dir, 'short.log');
    await writeFile(path, [...HEADER, ['1', 'C1', '198.51.100.1', '1', '198.51.100.2'].join('\t'), ''].join('\n'));
    const out = await byBytes(path, setOf(listed), 'all', 1);
    expect(out.bad).toEqual([{ file: path, line: 8, reason: 'Cannot parse Zeek log line: expected 8 fields, found 5' }]);
    expect(out.records).toBe(0);
  });
});
