import { describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { ingestFiles } from '../../store/ingest/ingest-files.js';
import { collectHoneypotIndicators } from './honeypot.js';
import { honeypotEventsFromStore } from './honeypot-store-events.js';

const FIXTURE = '/work/shared/fixtures/cowrie/kareiva-2018/cowrie.json.2018-05-06';

describe('honeypotEventsFromStore()', () => {
  it('feeds the honeypot source from stored events, without tunnel destinations', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      await ingestFiles(store, [FIXTURE], {});
      const read = honeypotEventsFromStore(store);
      let count = 0;
      for await (const event of read(Date.UTC(2018, 0, 1))) {
        expect(event.eventid).toMatch(/^cowrie\./);
        count += 1;
      }
      expect(count).toBeGreaterThan(0);
      const { records } = await collectHoneypotIndicators(read, { now: Date.UTC(2018, 4, 7), minAttempts: 1, maxAgeMs: 30 * 86_400_000 });
      const values = records.map((r) => (r as { indicator: string }).indicator);
      expect(values).toContain('88.223.26.58');
    } finally {
      await store.close();
    }
  });
});
