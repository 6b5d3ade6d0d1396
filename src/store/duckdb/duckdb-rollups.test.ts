import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spreadRows } from '../store.case.test.js';
import { DuckDbStore } from './duckdb-store.js';

let dir = '';
let path = '';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-duckdb-rollups-'));
  path = join(dir, 'honeyscope.duckdb');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DuckDB rollups', () => {
  it('count rows that reached `events` by any path, and start over when `events` is rewritten', async () => {
    const store = await DuckDbStore.open(path);
    const conn = await (await DuckDBInstance.fromCache(path)).connect();
    try {
      await store.append(spreadRows(300, 7));
      const before = await store.summary({});
      // Another writer copies every row in again under new ids: the next answer counts them.
      await conn.run(`INSERT INTO events SELECT uuid() AS id, * EXCLUDE (id) FROM events`);
      expect((await store.summary({})).events).toBe(2 * before.events);
      // Rewritten with fewer rows, so with lower row numbers than those already folded.
      await conn.run(`CREATE OR REPLACE TABLE events AS SELECT * FROM events ORDER BY ts LIMIT ${before.events}`);
      const after = await store.summary({});
      expect(after.events).toBe(before.events);
      expect(after.firstUs).toBe(before.firstUs);
    } finally {
      conn.closeSync();
      await store.close();
    }
  });

  it('checkpoint the store file after folding a bulk load, so queries read compressed rollups', async () => {
    const store = await DuckDbStore.open(path);
    const walBytes = async (): Promise<number> => (await stat(`${path}.wal`).catch(() => ({ size: 0 }))).size;
    try {
      await store.append(spreadRows(120_000, 3));
      await store.summary({});
      expect(await walBytes()).toBe(0);
      // Small appends and folds stay in the log until DuckDB checkpoints on its own schedule.
      await store.append(spreadRows(50, 4));
      await store.summary({});
      expect(await walBytes()).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
