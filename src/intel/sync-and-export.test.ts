import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { HoneyscopeError } from '../lib/errors.js';
import { openDuckDbIntelStore } from '../store/intel/duckdb-intel-store.js';
import type { IntelStore } from './intel-store.js';
import type { HoneypotEvent } from './sources/honeypot.js';
import { syncAndExport } from './sync-and-export.js';

const run = promisify(execFile);
const OTX_PAGE = readFileSync('/work/shared/fixtures/intel/otx/elastic_pulses_subscribed_page1.json', 'utf8');
const DROP = '/work/shared/fixtures/intel/formats/blocklists/spamhaus_drop.2016-excerpt.txt';

let dir: string;
let server: Server;
let base: string;
let failing = false;
let store: IntelStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-sync-'));
  failing = false;
  server = createServer((_req, res) => {
    if (failing) {
      res.writeHead(500).end('boom');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...JSON.parse(OTX_PAGE), next: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
});

afterEach(async () => {
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function events(): AsyncIterable<HoneypotEvent> {
  const t = '2026-11-28T17:00:00.000000Z';
  const list: HoneypotEvent[] = [
    ...Array.from({ length: 5 }, () => ({ eventid: 'cowrie.login.failed', src_ip: '45.33.32.156', timestamp: t })),
    { eventid: 'cowrie.direct-tcpip.request', src_ip: '45.33.32.156', dst_ip: '93.184.216.34', timestamp: t },
    ...Array.from({ length: 5 }, () => ({ eventid: 'cowrie.login.failed', src_ip: '93.184.216.34', timestamp: t })),
    { eventid: 'cowrie.session.file_download', src_ip: '45.33.32.156', url: 'http://pinup-casino-tr.site/x.sh', shasum: 'f8c28666f2f2beb599dcc62721c41a82f52e63721dd2d5629073033b32a93154', timestamp: t },
  ];
  return (async function* gen() {
    yield* list;
  })();
}

describe('syncAndExport()', () => {
  it('syncAndExport() syncs OTX, feeds and the honeypot, reports bad lines, writes every export and leaves them untouched when a later sync fails', async () => {
    const bad = join(dir, 'bad.txt');
    await writeFile(bad, '203.0.113.9\nthis is not\n');
    const out = (name: string): string => join(dir, name);
    const config = configSchema.parse({
      intel: {
        otxKey: 'k',
        otxBaseUrl: base,
        feeds: [{ path: DROP, source: 'spamhaus' }, { path: bad, source: 'mine' }],
        whitelist: ['*.pinup-casino-tr.site', '1.4.0.0/16'],
        exports: [
          { format: 'rpz', path: out('rpz.local.db'), ipTriggers: true },
          { format: 'silk', path: out('bad.txt.silk') },
          { format: 'zeek', path: out('intel.dat') },
          { format: 'nft', path: out('intel.nft') },
          { format: 'stix', path: out('honeypot.stix.json') },
        ],
      },
    });
    const now = (): number => Date.parse('2026-11-28T18:00:00Z');
    const report = await syncAndExport(config, { store, readEvents: () => events(), now, otx: { sleep: async () => undefined, retries: 1 } });
    expect(report.otx?.records).toBe(4);
    expect(report.feeds).toEqual([{ path: DROP, source: 'spamhaus', records: 9 }, { path: bad, source: 'mine', records: 1 }]);
    expect(report.bad).toEqual([{ source: 'mine', location: `${bad}:2`, value: 'this is not', reason: 'Invalid indicator "this is not": expected an IP address, CIDR, domain, URL, email or MD5/SHA-1/SHA-256 hash' }]);
    expect(report.honeypot).toEqual({ records: 4 });
    const rpz = report.exports[0]!;
    expect(rpz.suppressed.map((s) => s.indicator)).toEqual(['1.4.0.0/17', 'pinup-casino-tr.site']);
    expect((await run('named-checkzone', ['rpz.local', out('rpz.local.db')])).stdout).toContain('OK');
    const silk = await readFile(out('bad.txt.silk'), 'utf8');
    expect(silk).toContain('45.33.32.156 # honeypot\n');
    // The OTX address expired on 2023-09-05: exports carry only live indicators.
    expect(silk).not.toContain('172.67.177.165');
    expect(await readFile(out('intel.dat'), 'utf8')).toContain('177add288b289d43236d2dba33e65956\tIntel::FILE_HASH\tAlienVault OTXv2 - Sample Pulse ID: 64e38336d783f91d6948a7b1 Author: SampleUser\t');
    expect(silk).not.toContain('93.184.216.34');
    expect(silk).not.toContain('1.4.0.0');
    await run('nft', ['-c', '-f', out('intel.nft')]);
    const stix = JSON.parse(await readFile(out('honeypot.stix.json'), 'utf8')) as { objects: Array<{ pattern?: string }> };
    expect(stix.objects.map((o) => o.pattern).filter(Boolean)).toEqual([
      "[ipv4-addr:value = '45.33.32.156']",
      "[file:hashes.'SHA-256' = 'f8c28666f2f2beb599dcc62721c41a82f52e63721dd2d5629073033b32a93154']",
    ]);

    const before = await Promise.all(['rpz.local.db', 'bad.txt.silk', 'intel.dat', 'intel.nft'].map(async (f) => [await readFile(out(f), 'utf8'), (await stat(out(f))).mtimeMs]));
    failing = true;
    await expect(syncAndExport(config, { store, now, otx: { sleep: async () => undefined, retries: 1 } })).rejects.toThrow(HoneyscopeError);
    const after = await Promise.all(['rpz.local.db', 'bad.txt.silk', 'intel.dat', 'intel.nft'].map(async (f) => [await readFile(out(f), 'utf8'), (await stat(out(f))).mtimeMs]));
    expect(after).toEqual(before);
  });
});
