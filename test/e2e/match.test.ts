import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const F = '/work/shared/fixtures/intel';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-e2e-match-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('honeyscope match', () => {
  it('prints matching flows as intel.log TSV, reports malformed lines on stderr and exits 0', async () => {
    const flows = join(dir, 'flows.txt');
    await writeFile(flows, 'sIP|dIP|sPort|dPort|\n10.0.0.5|203.0.113.5|51000|443|\nbroken line\n10.0.0.7|8.8.8.8|40001|53|\n');
    const { code, stdout, stderr } = await runCli(['match', '--anyset', '--set', `${F}/silk/iocs.txt`, flows, `${F}/silk/flows.txt`], { timeoutMs: 120_000 });
    expect(stderr).toBe(
      `honeyscope: malformed line ${flows}:3: Cannot parse flow record: expected at least 2 fields, found 1\nhoneyscope: 6 records, 4 matches, 1 malformed lines\n`,
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('#separator \\x09');
    expect(lines[4]).toBe('#path\tintel');
    expect(lines[6]!.split('\t').slice(0, 13)).toEqual(['#fields', 'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'seen.indicator', 'seen.indicator_type', 'seen.where', 'seen.node', 'matched', 'sources']);
    const rows = lines.filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));
    expect(rows.map((r) => [r[6], r[8], r[10], r[11], r[15], r[17]])).toEqual([
      ['203.0.113.5', 'Conn::IN_RESP', 'Intel::ADDR', 'file:iocs.txt', '203.0.113.5', '2'],
      ['203.0.113.5', 'Conn::IN_RESP', 'Intel::ADDR', 'file:iocs.txt', '203.0.113.5', '2'],
      ['198.51.100.77', 'Conn::IN_ORIG', 'Intel::SUBNET', 'file:iocs.txt', '198.51.100.0/24', '3'],
      ['192.0.2.6', 'Conn::IN_ORIG', 'Intel::SUBNET', 'file:iocs.txt', '192.0.2.1\\x2c3\\x2c5-7', '5'],
    ]);
    expect(lines[lines.length - 1]).toMatch(/^#close\t\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/);
  });

  it('exits 1 when nothing matches and 2 on an error, like grep', async () => {
    const nothing = await runCli(['match', '--json', '--set', `${F}/silk/iocs.txt`, `${F}/zeek/dns.log.wrccdc-zeek6.2-head60.tsv`], { timeoutMs: 120_000 });
    expect([nothing.code, nothing.stdout, nothing.stderr]).toEqual([1, '', '']);
    const missing = join(dir, 'missing.log');
    const error = await runCli(['match', '--set', `${F}/silk/iocs.txt`, '--json', missing], { timeoutMs: 120_000 });
    expect([error.code, error.stderr]).toEqual([2, `honeyscope: Cannot read log "${missing}": ENOENT\n`]);
    const usage = await runCli(['match', '--sipset', '--dipset', '--set', `${F}/silk/iocs.txt`, missing], { timeoutMs: 120_000 });
    expect([usage.code, usage.stderr]).toEqual([2, 'honeyscope: Cannot combine --sipset and --dipset: expected at most one of --sipset, --dipset and --anyset\n']);
  });
});
