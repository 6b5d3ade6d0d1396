import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../store.case.test.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFiles } from '../ingest/ingest-files.js';
import { DuckDbStore } from './duckdb-store.js';

const KAREIVA = '/work/shared/fixtures/cowrie/kareiva-2018';

let dir = '';
runStoreContract({
  name: 'DuckDB',
  async create() {
    dir = await mkdtemp(join(tmpdir(), 'hs-duckdb-'));
    return DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
  },
  async cleanup() {
    await rm(dir, { recursive: true, force: true });
  },
});

/** Runs `work` with a store path in a new temporary directory, removed afterwards. */
async function withStorePath(work: (path: string) => Promise<void>): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'hs-duckdb-open-'));
  try {
    await work(join(home, 'honeyscope.duckdb'));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe('DuckDbStore.open()', () => {
  it('opens a store written with the outbound table of earlier versions, drops that table and answers the same', () =>
    withStorePath(async (path) => {
      const store = await DuckDbStore.open(path);
      await ingestFiles(store, [join(KAREIVA, 'cowrie.json.2018-05-09')]);
      const before = await store.outboundTriples({}, 1000);
      await store.close();
      const conn = await (await DuckDBInstance.fromCache(path)).connect();
      await conn.run('CREATE TABLE outbound AS SELECT ts, eventid, src_ip, dst_ip, dst_port FROM events');
      conn.closeSync();
      const reopened = await DuckDbStore.open(path);
      try {
        expect(before.length).toBeGreaterThan(0);
        expect(await reopened.outboundTriples({}, 1000)).toEqual(before);
        const check = await (await DuckDBInstance.fromCache(path)).connect();
        expect((await check.runAndReadAll(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'outbound'`)).currentRowCount).toBe(0);
        check.closeSync();
      } finally {
        await reopened.close();
      }
    }));

  it('stores each event whole, its raw line compressed with zstd', () =>
    withStorePath(async (path) => {
      const store = await DuckDbStore.open(path);
      await ingestFiles(store, [join(KAREIVA, 'cowrie.json.2018-05-09')]);
      const raw: string[] = [];
      for await (const line of store.rawEvents({})) raw.push(line);
      await store.close();
      const conn = await (await DuckDBInstance.fromCache(path)).connect();
      try {
        await conn.run('CHECKPOINT');
        const info = await conn.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('events') WHERE column_name = 'raw' AND segment_type = 'VARCHAR'`);
        expect(info.getRows()).toEqual([['ZSTD']]);
        const bytes = await conn.runAndReadAll('SELECT sum(strlen(raw)) FROM events');
        expect(Number(bytes.getRows()[0]?.[0])).toBe(raw.reduce((n, l) => n + Buffer.byteLength(l), 0));
      } finally {
        conn.closeSync();
      }
      expect(raw.length).toBeGreaterThan(1000);
      expect(raw.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
    }));

  it('lets another process open the file once closed (DuckDB locks it while any holder in this process is left)', () =>
    withStorePath(async (path) => {
      const openElsewhere = `require('@duckdb/node-api').DuckDBInstance.create(process.argv[1]).then((i) => i.connect())`;
      const store = await DuckDbStore.open(path);
      await expect(promisify(execFile)(process.execPath, ['-e', openElsewhere, path])).rejects.toThrow(/lock/);
      // Through the store, the refusal says who usually holds the file.
      const openStore = `import(${JSON.stringify(new URL('./duckdb-store.ts', import.meta.url).href)}).then((m) => m.DuckDbStore.open(process.argv[1]))`;
      await expect(promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', openStore, path])).rejects.toThrow(/a running honeyscope run or serve holds it/);
      await store.close();
      await promisify(execFile)(process.execPath, ['-e', openElsewhere, path]);
    }));
});
