import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../../../test/helpers/cli.js';

let dir: string;

const conn = (uid: string, orig: string, resp: string, query?: string): string =>
  JSON.stringify({ ts: 1, uid, 'id.orig_h': orig, 'id.orig_p': 1, 'id.resp_h': resp, 'id.resp_p': 53, ...(query ? { query } : {}) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-match-cli-'));
  await writeFile(join(dir, 'wl.yaml'), 'intel:\n  whitelist: ["*.example.com", "10.0.0.0/8", "203.0.113.7"]\n');
  await writeFile(join(dir, 'feed.txt'), '203.0.113.7\n203.0.113.0/24\nevil.example.com\n198.51.100.9\n');
  await writeFile(join(dir, 'wl.json'), `${[conn('W1', '203.0.113.7', '10.0.0.1'), conn('W2', '10.0.0.1', '10.0.0.53', 'evil.example.com'), conn('W3', '198.51.100.9', '10.0.0.53')].join('\n')}\n`);
  await writeFile(join(dir, 'many.json'), `${Array.from({ length: 20_000 }, (_, i) => conn(`M${i}`, '198.51.100.9', '192.0.2.1')).join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('honeyscope match', () => {
  it('match honours the whitelist of the config, as exports do', async () => {
    const { code, stdout, stderr } = await runCli(['match', '--data', join(dir, 'data'), '-c', join(dir, 'wl.yaml'), '--set', join(dir, 'feed.txt'), '--json', join(dir, 'wl.json')]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).map((m) => `${m.uid} ${m['seen.indicator']}`)).toEqual(['W3 198.51.100.9']);
    expect(stderr).toBe([
      'honeyscope: whitelisted ipv4 203.0.113.7 (rule "203.0.113.7")',
      'honeyscope: whitelisted cidr 203.0.113.0/24 (rule "203.0.113.7")',
      'honeyscope: whitelisted domain evil.example.com (rule "*.example.com")',
      '',
    ].join('\n'));
  });

  it('match into a pipe whose reader has gone (| head -1) ends quietly', async () => {
    const child = spawnCli(['match', '--data', join(dir, 'data'), '--set', join(dir, 'feed.txt'), join(dir, 'many.json')]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
