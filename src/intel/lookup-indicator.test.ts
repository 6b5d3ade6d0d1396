import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbIntelStore } from '../store/intel/duckdb-intel-store.js';
import type { IndicatorType, IntelRecord } from './indicator.js';
import type { IntelStore } from './intel-store.js';
import { lookupIndicator } from './lookup-indicator.js';

let dir: string;
let store: IntelStore;

const rec = (indicator: string, type: IndicatorType, source: string, pulseName?: string): IntelRecord => ({
  indicator,
  type,
  meta: { source, pulseId: pulseName ? `p-${source}` : '', pulseName, active: true },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-lookup-'));
  store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
  await store.upsert([
    rec('1.10.16.0/20', 'cidr', 'file:drop.txt'),
    rec('1.10.0.0/16', 'cidr', 'otx', 'Wide net'),
    rec('198.51.100.45/32', 'cidr', 'file:x.txt'),
    rec('2001:db8::/32', 'cidr', 'otx', 'v6 net'),
    rec('10.0.0.0/8', 'cidr', 'other'),
    rec('evil.test', 'domain', 'otx', 'Evil'),
  ]);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const summary = async (value: string): Promise<string[]> =>
  (await lookupIndicator(store, value)).hits.flatMap((h) => h.items.map((i) => `${h.relation} ${i.indicator} ${i.meta.map((m) => m.pulseName ?? m.source).join(',')}`));

describe('lookupIndicator()', () => {
  it('lookupIndicator() finds the stored CIDRs that contain an address, with their source and pulse', async () => {
    expect(await summary('1.10.16.5')).toEqual(['cidr 1.10.0.0/16 Wide net', 'cidr 1.10.16.0/20 file:drop.txt']);
    expect(await summary('198.51.100.45')).toEqual(['cidr 198.51.100.45/32 file:x.txt']);
    expect(await summary('2001:DB8::1')).toEqual(['cidr 2001:db8::/32 v6 net']);
    expect(await summary('192.0.2.1')).toEqual([]);
  });

  it('lookupIndicator() gives a CIDR itself, then the wider CIDRs around it', async () => {
    expect(await summary('1.10.16.0/20')).toEqual(['exact 1.10.16.0/20 file:drop.txt', 'cidr 1.10.0.0/16 Wide net']);
  });

  it('lookupIndicator() still finds listed parents of a name', async () => {
    expect(await summary('a.b.Evil.Test')).toEqual(['parent evil.test Evil']);
  });
});
