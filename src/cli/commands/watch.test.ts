import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../../../test/helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-watch-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('honeyscope watch', () => {
  it('watch raises no alert for what the whitelist covers, as exports do', async () => {
    await writeFile(join(dir, 'wl.yaml'), 'intel:\n  whitelist: ["*.example.com", "10.0.0.0/8", "203.0.113.7"]\n');
    await writeFile(join(dir, 'feed.txt'), '203.0.113.7\n203.0.113.0/24\nevil.example.com\n198.51.100.9\n');
    const conn = (uid: string, orig: string, resp: string, query?: string): string =>
      JSON.stringify({ ts: 1, uid, 'id.orig_h': orig, 'id.orig_p': 1, 'id.resp_h': resp, 'id.resp_p': 53, ...(query ? { query } : {}) });
    await writeFile(join(dir, 'conn.json'), `${[conn('W1', '203.0.113.7', '10.0.0.1'), conn('W2', '10.0.0.1', '10.0.0.53', 'evil.example.com'), conn('W3', '198.51.100.9', '10.0.0.53')].join('\n')}\n`);
    const child = spawnCli(['watch', '--data', join(dir, 'data'), '-c', join(dir, 'wl.yaml'), '--set', join(dir, 'feed.txt'), '--console', join(dir, 'conn.json')]);
    let stdout = '';
    // Records are matched in order, so once W3 has alerted, W1 and W2 would have too.
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('"uid":"W3"')) resolve();
      });
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout.match(/^Indicator: .*$/gm)).toEqual(['Indicator: 198.51.100.9 (Conn::IN_ORIG) listed as 198.51.100.9 by file:feed.txt']);
  });
});
