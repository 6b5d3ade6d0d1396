import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  const program = new Command('honeyscope').exitOverride();
  registerIntel(program);
  await program.parseAsync(['intel', ...args, '--data', dir], { from: 'user' });
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

  it('intel export refuses an unknown format', async () => {
    await expect(cli('export', '--format', 'bogus')).rejects.toThrow('Invalid --format "bogus": expected one of rpz, silk, zeek, nft, ipset, hosts, stix, csv, json');
  });
});
