import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteStream, startNatsServer, storedIdentityCounts, TEST_NATS_URL, TEST_POSTGRES_URL, testFleetConfig, waitFor } from '../../test/helpers/fleet.js';
import type { HoneyscopeEvent } from '../events/event.js';
import { silentLogger } from '../lib/logger.js';
import { eventIdentity } from '../store/event-row.js';
import { PostgresStore, withDefaultUser } from '../store/postgres/postgres-store.js';
import { Collector } from './collector.js';
import { JetStreamSink } from './jetstream-sink.js';
import type { FleetConfig } from './nats-connect-options.js';

function events(count: number, sensor: string): HoneyscopeEvent[] {
  return Array.from({ length: count }, (_, i) =>
    Object.freeze({ eventid: 'cowrie.command.input', session: `s${i % 7}`, src_ip: '192.0.2.9', timestamp: `2026-11-28T18:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(6, '0')}Z`, sensor, message: `CMD: echo ${i}`, input: `echo ${i}` }),
  );
}

let dir = '';
let schema = '';
let store: PostgresStore | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-fleet-'));
  schema = `hs_test_${randomBytes(6).toString('hex')}`;
  store = await PostgresStore.open(TEST_POSTGRES_URL, { schema });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store?.close();
  const client = new pg.Client({ connectionString: withDefaultUser(TEST_POSTGRES_URL) });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  await rm(dir, { recursive: true, force: true });
});

async function openSink(fleet: FleetConfig, name: string): Promise<JetStreamSink> {
  const sink = await JetStreamSink.open({ fleet, sensor: name, spoolDir: join(dir, name, 'spool'), logger: silentLogger() });
  cleanups.push(() => sink.close());
  return sink;
}

async function startCollector(fleet: FleetConfig): Promise<Collector> {
  const collector = await Collector.start({ fleet, store: store!, logger: silentLogger() });
  cleanups.push(() => collector.close());
  return collector;
}

describe('Collector', () => {
  it('stores every event JetStreamSink published exactly once, even when it is published twice', async () => {
    const fleet = testFleetConfig({ batchEvents: 200 });
    cleanups.push(() => deleteStream(TEST_NATS_URL, fleet.stream));
    const all = events(1000, 'unit-a');
    const first = await openSink(fleet, 'unit-a');
    await waitFor(() => first.stats().connected, 10_000, 'the publisher to connect');
    await Promise.all(all.map((e) => first.write(e)));
    const collector = await startCollector(fleet);
    // A second sensor run replaying the same events (as after a lost ack) must not add rows.
    const again = await openSink(fleet, 'unit-a-again');
    await waitFor(() => again.stats().connected, 10_000, 'the second publisher to connect');
    await Promise.all(all.slice(0, 300).map((e) => again.write(e)));
    await waitFor(() => collector.stats().events >= 1300, 20_000, 'the collector to store 1300 rows');
    const counts = await storedIdentityCounts(TEST_POSTGRES_URL, { schema });
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(all.map((e) => eventIdentity(e))));
    expect(collector.stats()).toMatchObject({ inserted: 1000, duplicates: 300, failures: 0, malformed: 0 });
  });
});

describe('JetStreamSink', () => {
  it('spools while the broker is away and replays in order when it is back', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.dispose());
    const fleet = testFleetConfig({ url: nats.url });
    const sink = await openSink(fleet, 'unit-b');
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect');
    const all = events(500, 'unit-b');
    await Promise.all(all.slice(0, 100).map((e) => sink.write(e)));
    await nats.stop();
    await waitFor(() => !sink.stats().connected, 10_000, 'the publisher to notice the broker left');
    for (const e of all.slice(100, 400)) await sink.write(e);
    expect(sink.stats()).toMatchObject({ published: 100, spooled: 300 });
    expect(sink.stats().spoolBytes).toBeGreaterThan(0);
    await nats.start();
    await Promise.all(all.slice(400).map((e) => sink.write(e)));
    await waitFor(() => sink.stats().spoolBytes === 0, 20_000, 'the spool to be replayed');

    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(fleet.stream);
    const lines: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      lines.push(...new TextDecoder().decode((await jsm.streams.getMessage(fleet.stream, { seq })).data).split('\n').filter((l) => l !== ''));
    }
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(all.map((e) => e.message));
  });

  it('keeps the order of events when many batches await their acks at once', async () => {
    const fleet = testFleetConfig({ maxBatchBytes: 4096 });
    cleanups.push(() => deleteStream(TEST_NATS_URL, fleet.stream));
    const sink = await openSink(fleet, 'unit-e');
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect');
    const all = events(3000, 'unit-e');
    await Promise.all(all.map((e) => sink.write(e)));
    expect(sink.stats()).toMatchObject({ published: 3000, spooled: 0 });

    const nc = await connect({ servers: TEST_NATS_URL });
    cleanups.push(() => nc.close());
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(fleet.stream);
    expect(info.state.messages).toBeGreaterThan(50);
    const lines: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      lines.push(...new TextDecoder().decode((await jsm.streams.getMessage(fleet.stream, { seq })).data).split('\n').filter((l) => l !== ''));
    }
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(all.map((e) => e.message));
  });

  it('sends events written within lingerMs as one message', async () => {
    const fleet = testFleetConfig({ lingerMs: 300 });
    cleanups.push(() => deleteStream(TEST_NATS_URL, fleet.stream));
    const sink = await openSink(fleet, 'unit-d');
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect');
    const writes: Array<Promise<void>> = [];
    for (const e of events(5, 'unit-d')) {
      writes.push(sink.write(e));
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(writes);
    const nc = await connect({ servers: TEST_NATS_URL });
    cleanups.push(() => nc.close());
    const info = await (await nc.jetstreamManager()).streams.info(fleet.stream);
    expect(info.state.messages).toBe(1);
  });

  it('write() resolves once the event is spooled when the broker never answered', async () => {
    const fleet = testFleetConfig({ url: 'nats://127.0.0.1:1' });
    const sink = await openSink(fleet, 'unit-c');
    await Promise.all(events(10, 'unit-c').map((e) => sink.write(e)));
    expect(sink.stats()).toMatchObject({ connected: false, published: 0, spooled: 10 });
  });
});
