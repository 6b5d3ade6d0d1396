import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { openDuckDbIntelStore } from '../store/intel/duckdb-intel-store.js';
import { startIntelSchedule } from './intel-schedule.js';
import type { SyncAndExportReport } from './sync-and-export.js';

describe('startIntelSchedule()', () => {
  it('startIntelSchedule() re-exports on every round and keeps going after a failed round', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-sched-'));
    const store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
    try {
      const feed = join(dir, 'feed.txt');
      await writeFile(feed, '203.0.113.5\n');
      const config = configSchema.parse({ intel: { feeds: [{ path: feed, source: 'f' }], exports: [{ format: 'silk', path: join(dir, 'out.txt') }] } });
      const rounds: Array<SyncAndExportReport | Error> = [];
      let resolveThree: () => void = () => undefined;
      const three = new Promise<void>((resolve) => { resolveThree = resolve; });
      const schedule = startIntelSchedule(config, {
        store,
        intervalMs: 50,
        onRound: async (r) => {
          rounds.push(r);
          if (rounds.length === 1) await rm(feed);
          if (rounds.length === 2) await writeFile(feed, '203.0.113.6\n');
          if (rounds.length >= 3 && !(r instanceof Error)) resolveThree();
        },
      });
      await three;
      await schedule.stop();
      expect(rounds[0]).not.toBeInstanceOf(Error);
      expect((rounds[1] as Error).message).toBe(`Cannot read feed "${feed}": no such file or directory`);
      expect((rounds.at(-1) as SyncAndExportReport).exports[0]!.written).toBe(1);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
