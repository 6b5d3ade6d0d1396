import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli, spawnCli } from '../../../test/helpers/cli.js';
import { isHoneyscopeError, type HoneyscopeError } from '../../lib/errors.js';
import { registerIntel } from './intel.js';

const run = promisify(execFile);
const F = '/work/shared/fixtures/intel';
let dir: string;
let stdout: string;
let stderr: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-cli-intel-'));
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<void> {
  await cliIn(dir, ...args);
}

async function cliIn(data: string, ...args: string[]): Promise<void> {
  const program = new Command('honeyscope').exitOverride();
  registerIntel(program);
  await program.parseAsync(['intel', ...args, '--data', data], { from: 'user' });
}

describe('honeyscope intel', () => {
  it('intel import, lookup, stats and export work against the embedded store', async () => {
    await cli('import', `${F}/formats/misp`, '--source', 'circl');
    await cli('import', `${F}/formats/blocklists/urlhaus_hostfile.2020-excerpt.txt`);
    expect(stdout).toBe(
      `circl: 3 indicators from ${F}/formats/misp, 0 lines skipped\n` +
        `file:urlhaus_hostfile.2020-excerpt.txt: 5 indicators from ${F}/formats/blocklists/urlhaus_hostfile.2020-excerpt.txt, 0 lines skipped\n`,
    );
    stdout = '';
    await cli('lookup', '0749BAE92CA336A02C83D126E04EC628');
    expect(stdout).toBe('md5 0749bae92ca336a02c83d126e04ec628\n  circl pulse 57c4445b-c548-4654-af0b-4be3950d210f "Ransomware - Xorist" by CIRCL TLP:WHITE\n');
    stdout = '';
    await cli('lookup', 'www.1home.az');
    expect(stdout).toBe('domain 1home.az (listed parent of www.1home.az)\n  file:urlhaus_hostfile.2020-excerpt.txt\n');
    stdout = '';
    await cli('lookup', 'nothing.example');
    expect(stdout).toBe('nothing.example: not listed\n');
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    stdout = '';
    await cli('lookup', '--json', 'nothing.example');
    expect([stdout, process.exitCode]).toEqual(['[]\n', 1]);
    process.exitCode = undefined;
    stdout = '';
    await cli('stats', '--json');
    expect(JSON.parse(stdout)).toEqual({ total: 8, byType: { domain: 5, md5: 1, sha1: 1, sha256: 1 }, bySource: { circl: 3, 'file:urlhaus_hostfile.2020-excerpt.txt': 5 } });
    const zone = join(dir, 'rpz.db');
    await cli('export', '--format', 'rpz', '--out', zone, '--policy', 'nodata');
    expect(await readFile(zone, 'utf8')).toContain('\n1home.az CNAME *.\n*.1home.az CNAME *.\n');
    expect((await run('named-checkzone', ['rpz.local', zone])).stdout).toContain('OK');
    expect(stderr).toMatch(/honeyscope: 5 indicators written to .*rpz\.db \(serial \d+\)\n$/);
  });

  it('intel import reports bad lines with file and line on stderr', async () => {
    const file = join(dir, 'list.txt');
    await writeFile(file, '203.0.113.5\nbad value here\n');
    await cli('import', file);
    expect(stderr).toBe(`honeyscope: skipped ${file}:2: Invalid indicator "bad value here": expected an IP address, CIDR, domain, URL, email or MD5/SHA-1/SHA-256 hash\n`);
    expect(stdout).toBe(`file:list.txt: 1 indicators from ${file}, 1 lines skipped\n`);
  });

  it('intel import keeps a source when the file yields no indicator (empty, binary, all rejected) unless --allow-empty', async () => {
    const drop = `${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt`;
    await cli('import', '--source', 'drop', drop);
    const empty = join(dir, 'empty.txt');
    const binary = join(dir, 'bin.dat');
    const garbage = join(dir, 'garbage.txt');
    await writeFile(empty, '');
    await writeFile(binary, Buffer.from([0x31, 0x2e, 0x32, 0x00, 0xff, 0x0a]));
    await writeFile(garbage, 'not an indicator\n');
    const cases: Array<[string, string]> = [
      [empty, `Cannot import feed "${empty}": it yields no indicator (0 entries skipped), expected at least one; "intel import --allow-empty" empties a source on purpose`],
      [binary, `Cannot read feed "${binary}": it is binary (a NUL byte at offset 3), expected a text or JSON feed`],
      [garbage, `Cannot import feed "${garbage}": it yields no indicator (1 entry skipped), expected at least one; "intel import --allow-empty" empties a source on purpose`],
    ];
    for (const [file, message] of cases) {
      const err = await cli('import', '--source', 'drop', file).then(() => undefined, (e: unknown) => e);
      expect(isHoneyscopeError(err, 'HS_INTEL'), file).toBe(true);
      expect((err as HoneyscopeError).message).toBe(message);
    }
    stdout = '';
    await cli('stats');
    expect(stdout).toBe('9 indicators\n  type cidr: 9\n  source drop: 9\n');
    stdout = '';
    await cli('import', '--source', 'drop', '--allow-empty', empty);
    expect(stdout).toBe(`drop: 0 indicators from ${empty}, 0 lines skipped\n`);
  });

  it('intel export refuses an unknown format', async () => {
    await expect(cli('export', '--format', 'bogus')).rejects.toThrow('Invalid --format "bogus": expected one of rpz, silk, zeek, nft, ipset, hosts, stix, csv, json');
  });

  it('intel import refuses RPZ trigger names, too-broad CIDRs and CIDRs with host bits, naming file and line', async () => {
    const file = join(dir, 'hostile.txt');
    await writeFile(file, ['203.0.113.7', '32.1.0.0.10.rpz-ip', '0.0.0.0/0', '10.0.0.1/8', 'evil.test'].join('\n'));
    await cli('import', file);
    expect(stdout).toBe(`file:hostile.txt: 2 indicators from ${file}, 3 lines skipped\n`);
    expect(stderr).toBe([
      `honeyscope: skipped ${file}:2: Invalid domain "32.1.0.0.10.rpz-ip": label "rpz-ip" is an RPZ trigger or action label, expected none starting with "rpz-"`,
      `honeyscope: skipped ${file}:3: Invalid cidr "0.0.0.0/0": expected a prefix of at least /8 for IPv4, found /0`,
      `honeyscope: skipped ${file}:4: Invalid cidr "10.0.0.1/8": host bits are set, expected the network address 10.0.0.0/8 or a single address`,
      '',
    ].join('\n'));
  });

  it('intel lookup names the stored CIDR and source that list an address inside it', async () => {
    await cli('import', `${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt`);
    stdout = '';
    await cli('lookup', '1.10.16.5');
    expect(stdout).toBe('cidr 1.10.16.0/20 (contains 1.10.16.5)\n  file:spamhaus_drop.2016-excerpt.txt\n');
    expect(process.exitCode).toBeUndefined();
  });

  it('intel user errors are HoneyscopeErrors naming the value and what was expected (one line, exit 2)', async () => {
    await cli('import', `${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt`);
    const afile = join(dir, 'afile');
    await writeFile(afile, '');
    const cases: Array<[() => Promise<void>, string]> = [
      [() => cli('export', '-f', 'rpz', '--policy', 'bogus'), 'Invalid RPZ policy "bogus": expected nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6'],
      [() => cli('export', '-f', 'nft', '-o', '/nonexistent-dir/x.nft'), 'Cannot write export "/nonexistent-dir/x.nft": directory "/nonexistent-dir" does not exist, expected an existing directory'],
      [() => cli('export', '-f', 'nft', '-o', tmpdir()), `Cannot write export "${tmpdir()}": it is a directory, expected a file name`],
      [() => cli('export', '-f', 'rpz', '--source', 'nosuch'), 'Cannot export source "nosuch": no indicators in the store, expected one of file:spamhaus_drop.2016-excerpt.txt'],
      [() => cliIn(afile, 'stats'), `Cannot use data directory "${afile}": it (or a parent) is a file, expected a directory`],
    ];
    for (const [run, message] of cases) {
      const err = await run().then(() => undefined, (e: unknown) => e);
      expect(isHoneyscopeError(err), message).toBe(true);
      expect((err as HoneyscopeError).message).toBe(message);
    }
    expect(stdout).toBe(`file:spamhaus_drop.2016-excerpt.txt: 9 indicators from ${F}/formats/blocklists/spamhaus_drop.2016-excerpt.txt, 0 lines skipped\n`);
  });

  it('intel export into a pipe whose reader has gone (| head) ends quietly', async () => {
    // Enough output (about 1.5 MB of RPZ) to fill any pipe buffer.
    const file = join(dir, 'many.txt');
    await writeFile(file, Array.from({ length: 25_000 }, (_, i) => `host-${i}.many-evil.test`).join('\n'));
    // Its own data directory: this process keeps the DuckDB file of `dir` locked.
    const data = join(dir, 'piped');
    expect((await runCli(['intel', 'import', '--data', data, file])).code).toBe(0);
    const child = spawnCli(['intel', 'export', '--data', data, '-f', 'rpz']);
    let childStderr = '';
    child.stderr.on('data', (d: Buffer) => (childStderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr: childStderr }).toEqual({ code: 0, stderr: '' });
  });
});
