import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HoneyscopeEvent } from '../events/event.js';
import { toCowrieJson } from '../events/to-cowrie-json.js';
import { silentLogger } from '../lib/logger.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import type { EventRow } from './event-row.js';
import { ingestFiles } from './ingest/ingest-files.js';
import type { AppendResult, Store } from './store.js';
import { StoreSink } from './store-sink.js';

function event(n: number): HoneyscopeEvent {
  return Object.freeze({
    session: 'abcdefabcdef',
    protocol: 'ssh',
    src_ip: '203.0.113.9',
    eventid: 'cowrie.command.input',
    input: `echo ${n}`,
    sensor: 'live',
    timestamp: `2026-11-28T17:00:${String(n).padStart(2, '0')}.000001Z`,
    message: `CMD: echo ${n}`,
  });
}

describe('StoreSink', () => {
  it('batches live events into the store; ingesting the JSONL log of the same events adds nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-sink-'));
    const store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
    try {
      const sink = new StoreSink(store, { logger: silentLogger(), batchSize: 3, flushMs: 10_000 });
      const events = Array.from({ length: 7 }, (_, i) => event(i));
      for (const e of events) sink.write(e);
      await sink.close();
      expect((await store.summary({})).events).toBe(7);
      const log = join(dir, 'cowrie.json');
      await writeFile(log, events.map((e) => toCowrieJson(e)).join('\n') + '\n');
      expect(await ingestFiles(store, [log])).toMatchObject({ lines: 7, inserted: 0, duplicates: 7 });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps rows while the store fails and stores them on a later flush', async () => {
    const stored: EventRow[] = [];
    let fail = true;
    const store = {
      append(rows: readonly EventRow[]): Promise<AppendResult> {
        if (fail) return Promise.reject(new Error('store down'));
        stored.push(...rows);
        return Promise.resolve({ inserted: rows.length, duplicates: 0 });
      },
    } as unknown as Store;
    const sink = new StoreSink(store, { logger: silentLogger(), batchSize: 100, flushMs: 10_000 });
    sink.write(event(1));
    sink.write(event(2));
    await sink.flush();
    expect(sink.stats()).toEqual({ failures: 1, dropped: 0, buffered: 2 });
    fail = false;
    await sink.close();
    expect(stored.map((r) => r.input)).toEqual(['echo 1', 'echo 2']);
  });
});
