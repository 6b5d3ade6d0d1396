import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../lib/errors.js';
import { openDuckDbIntelStore } from '../store/intel/duckdb-intel-store.js';
import { exportIntel } from './export-intel.js';
import type { IntelStore } from './intel-store.js';

let dir: string;
let store: IntelStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-export-intel-'));
  store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
  await store.upsert([{ indicator: 'evil.test', type: 'domain', meta: { source: 'file:feed.txt', pulseId: '', active: true } }]);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('exportIntel()', () => {
  it('exportIntel() reports a bad RPZ policy as a user error naming it', async () => {
    await expect(exportIntel(store, { format: 'rpz', policy: 'bogus', out: devNull() })).rejects.toThrow(
      new HoneyscopeError('HS_USAGE', 'Invalid RPZ policy "bogus": expected nxdomain, nodata, drop, passthru, tcp-only, cname:DOMAIN, a:IPV4 or aaaa:IPV6'),
    );
    await expect(exportIntel(store, { format: 'rpz', policy: 'a:999.1.1.1', out: devNull() })).rejects.toBeInstanceOf(HoneyscopeError);
  });

  it('exportIntel() names the output path, not its temp file, when the directory is missing or the path is a directory', async () => {
    const missing = join(dir, 'nonexistent-dir', 'x.nft');
    await expect(exportIntel(store, { format: 'nft', path: missing })).rejects.toThrow(
      new HoneyscopeError('HS_EXPORT', `Cannot write export "${missing}": directory "${join(dir, 'nonexistent-dir')}" does not exist, expected an existing directory`),
    );
    const aDir = join(dir, 'out2');
    await mkdir(aDir);
    await expect(exportIntel(store, { format: 'nft', path: aDir })).rejects.toThrow(new HoneyscopeError('HS_EXPORT', `Cannot write export "${aDir}": it is a directory, expected a file name`));
    const underFile = join(dir, 'honeyscope.duckdb', 'x.rpz');
    await expect(exportIntel(store, { format: 'rpz', path: underFile })).rejects.toThrow(
      new HoneyscopeError('HS_EXPORT', `Cannot write export "${underFile}": directory "${join(dir, 'honeyscope.duckdb')}" is a file, expected an existing directory`),
    );
  });

  it('exportIntel() refuses a required source that has no indicators and leaves the file as it was', async () => {
    const file = join(dir, 'live.rpz');
    await writeFile(file, 'previous zone\n');
    await expect(exportIntel(store, { format: 'rpz', path: file, sources: ['nosuch'], requireSources: true })).rejects.toThrow(
      new HoneyscopeError('HS_USAGE', 'Cannot export source "nosuch": no indicators in the store, expected one of file:feed.txt'),
    );
    expect(await readFile(file, 'utf8')).toBe('previous zone\n');
    expect((await exportIntel(store, { format: 'rpz', path: file, sources: ['file:feed.txt'], requireSources: true })).written).toBe(1);
    expect((await exportIntel(store, { format: 'rpz', path: file, sources: ['honeypot'] })).written).toBe(0);
  });
});

function devNull(): NodeJS.WritableStream {
  return { write: () => true, once: () => undefined } as unknown as NodeJS.WritableStream;
}
