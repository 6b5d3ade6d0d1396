import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../../intel/indicator.js';
import { runIntelStoreContract } from './intel-store.case.test.js';
import { openDuckDbIntelStore } from './duckdb-intel-store.js';

runIntelStoreContract('DuckDB', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hs-intel-duck-'));
  const store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('DuckDB intel store layout', () => {
  it('puts a table written out of order (by an earlier version) back in item order when it opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-intel-layout-'));
    try {
      const file = join(dir, 'honeyscope.duckdb');
      const instance = await DuckDBInstance.create(file);
      const conn = await instance.connect();
      await conn.run(`CREATE TABLE intel_indicators (
        type VARCHAR NOT NULL, indicator VARCHAR NOT NULL, source VARCHAR NOT NULL, pulse_id VARCHAR NOT NULL,
        pulse_name VARCHAR, author VARCHAR, description VARCHAR, url VARCHAR, tags VARCHAR, tlp VARCHAR,
        first_seen BIGINT, last_seen BIGINT, expires BIGINT, active BOOLEAN NOT NULL)`);
      for (const [indicator, source] of [['b.test', 'x'], ['a.test', 'y'], ['b.test', 'a'], ['a.test', 'b']]) {
        await conn.run(`INSERT INTO intel_indicators (type, indicator, source, pulse_id, active) VALUES ('domain', ?, ?, '', true)`, [indicator!, source!]);
      }
      conn.closeSync();
      instance.closeSync();
      const store = await openDuckDbIntelStore(file);
      try {
        const items: IntelItem[] = [];
        for await (const batch of store.itemBatches({ metaFields: 'sources' })) items.push(...batch);
        expect(items.map((i) => `${i.indicator}:${i.meta.map((m) => m.source).join(',')}`)).toEqual(['a.test:b,y', 'b.test:a,x']);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
