import { describe, expect, it } from 'vitest';
import type { IntelItem, IntelRecord } from '../../intel/indicator.js';
import type { IntelStore } from '../../intel/intel-store.js';

/** The behaviour every IntelStore implementation must show; each store's test calls this. */
export function runIntelStoreContract(name: string, open: () => Promise<{ store: IntelStore; cleanup: () => Promise<void> }>): void {
  async function withStore(body: (store: IntelStore) => Promise<void>): Promise<void> {
    const { store, cleanup } = await open();
    try {
      await body(store);
    } finally {
      await store.close();
      await cleanup();
    }
  }

  async function all(batches: AsyncIterable<readonly IntelItem[]>): Promise<IntelItem[]> {
    const out: IntelItem[] = [];
    for await (const batch of batches) out.push(...batch);
    return out;
  }

  function rec(indicator: string, type: IntelRecord['type'], source: string, extra: Partial<IntelRecord['meta']> = {}): IntelRecord {
    return { indicator, type, meta: { source, pulseId: '', active: true, ...extra } };
  }

  describe(`${name} intel store contract`, () => {
    it(`${name}: upsert() keeps metadata per source and pulse, and items() returns them in a stable order`, async () => {
      await withStore(async (store) => {
        await store.upsert([
          rec('evil.test', 'domain', 'otx', { pulseId: 'p2', pulseName: 'Two', author: 'A', tags: ['x', 'y'], tlp: 'white', firstSeen: 2000, lastSeen: 3000 }),
          rec('evil.test', 'domain', 'otx', { pulseId: 'p1', pulseName: 'One', url: 'https://otx.example/p1' }),
          rec('evil.test', 'domain', 'feed', { description: 'from a "file"\twith\r\nbreaks', pulseName: '' }),
          rec('10.0.0.1', 'ipv4', 'honeypot', { firstSeen: 5, expires: 100 }),
          rec('Z.test', 'domain', 'feed'),
          rec('a.test', 'domain', 'feed'),
        ]);
        const items = await all(store.itemBatches());
        expect(items.map((i) => `${i.type}:${i.indicator}`)).toEqual(['domain:Z.test', 'domain:a.test', 'domain:evil.test', 'ipv4:10.0.0.1']);
        expect(items[2]!.meta).toEqual([
          { source: 'feed', pulseId: '', active: true, description: 'from a "file"\twith\r\nbreaks', pulseName: '' },
          { source: 'otx', pulseId: 'p1', active: true, pulseName: 'One', url: 'https://otx.example/p1' },
          { source: 'otx', pulseId: 'p2', active: true, pulseName: 'Two', author: 'A', tags: ['x', 'y'], tlp: 'white', firstSeen: 2000, lastSeen: 3000 },
        ]);
      });
    });

    it(`${name}: items() stay grouped and in order after many writes in any order, at every metadata level`, async () => {
      await withStore(async (store) => {
        await store.upsert([rec('m.test', 'domain', 'otx', { pulseId: 'p9', description: 'nine', tlp: 'red' }), rec('b.test', 'domain', 'feed')]);
        await store.replaceSource('zfeed', [rec('m.test', 'domain', 'zfeed', { url: 'https://z.example/' }), rec('1.1.1.1', 'ipv4', 'zfeed')]);
        await store.upsert([rec('m.test', 'domain', 'otx', { pulseId: 'p1', pulseName: 'One', author: 'A' }), rec('a.test', 'domain', 'otx')]);
        await store.removePulses('otx', ['none']);
        const items = await all(store.itemBatches());
        expect(items.map((i) => `${i.indicator}:${i.meta.map((m) => `${m.source}/${m.pulseId}`).join(',')}`)).toEqual([
          'a.test:otx/',
          'b.test:feed/',
          'm.test:otx/p1,otx/p9,zfeed/',
          '1.1.1.1:zfeed/',
        ]);
        const described = (await all(store.itemBatches({ metaFields: 'describe' }))).find((i) => i.indicator === 'm.test')!;
        expect(described.meta).toEqual([
          { source: 'otx', pulseId: 'p1', active: true, pulseName: 'One', author: 'A' },
          { source: 'otx', pulseId: 'p9', active: true, description: 'nine' },
          { source: 'zfeed', pulseId: '', active: true, url: 'https://z.example/' },
        ]);
      });
    });

    it(`${name}: upsert() replaces a row of the same source and pulse but keeps the earliest firstSeen`, async () => {
      await withStore(async (store) => {
        await store.upsert([rec('1.2.3.4', 'ipv4', 'honeypot', { firstSeen: 100, lastSeen: 100, description: 'old' })]);
        await store.upsert([rec('1.2.3.4', 'ipv4', 'honeypot', { firstSeen: 200, lastSeen: 300, description: 'new' })]);
        expect(await store.lookup('1.2.3.4')).toEqual([
          { indicator: '1.2.3.4', type: 'ipv4', meta: [{ source: 'honeypot', pulseId: '', active: true, firstSeen: 100, lastSeen: 300, description: 'new' }] },
        ]);
      });
    });

    it(`${name}: items() filters by type, source and activity at a time`, async () => {
      await withStore(async (store) => {
        await store.upsert([
          rec('a.test', 'domain', 'otx', { expires: 1000 }),
          rec('b.test', 'domain', 'otx', { active: false }),
          rec('c.test', 'domain', 'feed'),
          rec('10.0.0.0/8', 'cidr', 'feed'),
        ]);
        expect((await all(store.itemBatches({ activeAt: 500 }))).map((i) => i.indicator)).toEqual(['10.0.0.0/8', 'a.test', 'c.test']);
        expect((await all(store.itemBatches({ activeAt: 1500 }))).map((i) => i.indicator)).toEqual(['10.0.0.0/8', 'c.test']);
        expect((await all(store.itemBatches({ types: ['cidr'] }))).map((i) => i.indicator)).toEqual(['10.0.0.0/8']);
        expect((await all(store.itemBatches({ sources: ['otx'] }))).map((i) => i.indicator)).toEqual(['a.test', 'b.test']);
      });
    });

    it(`${name}: replaceSource() and removePulses() touch only their source`, async () => {
      await withStore(async (store) => {
        await store.upsert([rec('a.test', 'domain', 'otx', { pulseId: 'p1' }), rec('b.test', 'domain', 'otx', { pulseId: 'p2' }), rec('a.test', 'domain', 'feed')]);
        expect(await store.removePulses('otx', ['p1'])).toBe(1);
        expect(await store.replaceSource('feed', [rec('c.test', 'domain', 'feed')])).toBe(1);
        const items = await all(store.itemBatches());
        expect(items.map((i) => `${i.indicator}:${i.meta.map((m) => m.source + m.pulseId).join(',')}`)).toEqual(['b.test:otxp2', 'c.test:feed']);
        expect(await store.stats()).toEqual({ total: 2, byType: { domain: 2 }, bySource: { feed: 1, otx: 1 } });
      });
    });

    it(`${name}: items() with metaFields "sources" returns source and pulse id only, whatever characters they hold`, async () => {
      await withStore(async (store) => {
        await store.upsert([
          rec('a.test', 'domain', 'feed\twith "tab"\nand newline', { pulseId: 'p"1', description: 'dropped' }),
          rec('a.test', 'domain', 'plain', { description: 'dropped' }),
          rec('b.test', 'domain', 'plain'),
        ]);
        const items = await all(store.itemBatches({ metaFields: 'sources' }));
        expect(items).toEqual([
          { indicator: 'a.test', type: 'domain', meta: [{ source: 'feed\twith "tab"\nand newline', pulseId: 'p"1', active: true }, { source: 'plain', pulseId: '', active: true }] },
          { indicator: 'b.test', type: 'domain', meta: [{ source: 'plain', pulseId: '', active: true }] },
        ]);
      });
    });

    it(`${name}: getState() and setState() persist small values`, async () => {
      await withStore(async (store) => {
        expect(await store.getState('otx.modifiedSince')).toBeUndefined();
        await store.setState('otx.modifiedSince', '2023-08-22T09:43:18');
        await store.setState('otx.modifiedSince', '2023-08-23T00:00:00');
        expect(await store.getState('otx.modifiedSince')).toBe('2023-08-23T00:00:00');
      });
    });

    it(`${name}: upsert() takes 20,000 rows from an async iterable with duplicate keys`, async () => {
      await withStore(async (store) => {
        async function* gen(): AsyncGenerator<IntelRecord> {
          for (let i = 0; i < 20_000; i++) yield rec(`h${i % 15_000}.test`, 'domain', 'bulk', { lastSeen: i });
        }
        expect(await store.upsert(gen())).toBeGreaterThanOrEqual(15_000);
        expect((await store.stats()).total).toBe(15_000);
        expect((await store.lookup('h1.test'))[0]!.meta[0]!.lastSeen).toBe(15_001);
      });
    });
  });
}
