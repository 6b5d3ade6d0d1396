import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUCKDB_FILE, openStore } from './open-store.js';

describe('openStore()', () => {
  it('opens the embedded DuckDB file in the data directory when no URL is set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-open-'));
    try {
      const store = await openStore({ core: { dataDir: join(dir, 'data'), sensorName: '', logLevel: 'info' }, store: { url: '' } });
      expect(store.kind).toBe('duckdb');
      await store.close();
      expect((await stat(join(dir, 'data', DUCKDB_FILE))).isFile()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreachable PostgreSQL URL as HS_STORE without the password', async () => {
    await expect(
      openStore({ core: { dataDir: '/nonexistent', sensorName: '', logLevel: 'info' }, store: { url: 'postgres://u:secret@127.0.0.1:1/x' } }),
    ).rejects.toThrow(/^Cannot open PostgreSQL store "postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x": /);
  });
});
