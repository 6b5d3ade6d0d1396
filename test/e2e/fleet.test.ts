import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector } from '../../src/fleet/collector.js';
import type { FleetConfig } from '../../src/fleet/nats-connect-options.js';
import { silentLogger } from '../../src/lib/logger.js';
import { runSimulation } from '../../src/simulate/run-simulation.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import {
  allSessionsClosed,
  createTestDatabase,
  deleteStream,
  loggedIdentities,
  startFleetSensor,
  startNatsServer,
  storedIdentityCounts,
  TEST_NATS_URL,
  testFleetConfig,
  waitFor,
  type FleetTestSensor,
} from '../helpers/fleet.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSensors(fleet: FleetConfig, count: number): Promise<FleetTestSensor[]> {
  const sensors = await Promise.all(Array.from({ length: count }, (_, i) => startFleetSensor(fleet, `sensor-${i}`)));
  for (const s of sensors) cleanups.push(() => s.dispose());
  return sensors;
}

function simulate(sensors: FleetTestSensor[], options: { bots: number; rate: number }): Promise<unknown> {
  return Promise.all(
    sensors.map((s, i) =>
      runSimulation({ host: '127.0.0.1', port: s.port, count: options.bots, concurrency: 2, rate: options.rate, sources: 0, failures: 2, commands: 3, tunnels: 1, seed: 100 + i, timeoutMs: 20_000 }),
    ),
  );
}

/** Waits until the sensors' spools are replayed, stops them, and returns every event identity they logged. */
async function stopAndReadLogs(sensors: FleetTestSensor[]): Promise<string[]> {
  // Closing a sensor with sessions still open would log their last events after the log is read.
  await waitFor(async () => (await Promise.all(sensors.map((s) => allSessionsClosed(s.logPath)))).every(Boolean), 20_000, 'every session to close');
  await waitFor(() => sensors.every((s) => s.sink.stats().connected && s.sink.stats().spoolBytes === 0), 30_000, 'the spools to be replayed');
  await Promise.all(sensors.map((s) => s.close()));
  return (await Promise.all(sensors.map((s) => loggedIdentities(s.logPath)))).flat();
}

/** Every logged event is stored exactly once, and nothing else is. */
async function expectStoredExactlyOnce(url: string, logged: string[]): Promise<void> {
  await waitFor(async () => (await storedIdentityCounts(url)).size >= logged.length, 30_000, `${logged.length} events in PostgreSQL`);
  const counts = await storedIdentityCounts(url);
  expect(new Set(logged).size).toBe(logged.length);
  expect(new Set(counts.keys())).toEqual(new Set(logged));
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
}

async function useDatabase(): Promise<string> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db.url;
}

async function startInProcessCollector(fleet: FleetConfig, url: string): Promise<Collector> {
  const store = await PostgresStore.open(url);
  cleanups.push(() => store.close());
  const collector = await Collector.start({ fleet, store, logger: silentLogger() });
  cleanups.push(() => collector.close());
  return collector;
}

function spawnCollector(fleet: FleetConfig, url: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawnCli(['collect', '--nats', fleet.url, '--postgres', url], { env: collectorEnv(fleet) });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('collector pulling')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}: ${err}`)));
  });
}

function collectorEnv(fleet: FleetConfig): Record<string, string> {
  return {
    HONEYSCOPE_FLEET_STREAM: fleet.stream,
    HONEYSCOPE_FLEET_SUBJECT_PREFIX: fleet.subjectPrefix,
    HONEYSCOPE_FLEET_CONSUMER: fleet.consumer,
    HONEYSCOPE_FLEET_ACK_WAIT_MS: String(fleet.ackWaitMs),
    HONEYSCOPE_CORE_LOG_LEVEL: 'warn',
  };
}

describe('fleet: sensors through NATS JetStream to PostgreSQL', () => {
  it('stores every event of ten simulated sensors exactly once', async () => {
    const fleet = testFleetConfig();
    cleanups.push(() => deleteStream(TEST_NATS_URL, fleet.stream));
    const url = await useDatabase();
    await startInProcessCollector(fleet, url);
    const sensors = await startSensors(fleet, 10);
    await waitFor(() => sensors.every((s) => s.sink.stats().connected), 10_000, 'the publishers to connect');
    await simulate(sensors, { bots: 3, rate: 0 });
    const logged = await stopAndReadLogs(sensors);
    expect(logged.length).toBeGreaterThan(10 * 3 * 5);
    expect(sensors.reduce((n, s) => n + s.sink.stats().published, 0)).toBe(logged.length);
    await expectStoredExactlyOnce(url, logged);
  }, 120_000);

  it('stores every event exactly once when the NATS server restarts mid-stream', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.dispose());
    const fleet = testFleetConfig({ url: nats.url });
    const url = await useDatabase();
    await startInProcessCollector(fleet, url);
    const sensors = await startSensors(fleet, 3);
    await waitFor(() => sensors.every((s) => s.sink.stats().connected), 10_000, 'the publishers to connect');
    const running = simulate(sensors, { bots: 12, rate: 3 });
    await waitFor(() => sensors.every((s) => s.sink.stats().published > 0), 10_000, 'events published before the restart');
    await nats.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await nats.start();
    await running;
    const logged = await stopAndReadLogs(sensors);
    expect(sensors.reduce((n, s) => n + s.sink.stats().spooled, 0)).toBeGreaterThan(0);
    await expectStoredExactlyOnce(url, logged);
  }, 120_000);

  it('stores every event exactly once when the collector is killed with SIGKILL and restarted', async () => {
    const fleet = testFleetConfig({ ackWaitMs: 2000 });
    cleanups.push(() => deleteStream(TEST_NATS_URL, fleet.stream));
    const url = await useDatabase();
    const first = await spawnCollector(fleet, url);
    const sensors = await startSensors(fleet, 3);
    await waitFor(() => sensors.every((s) => s.sink.stats().connected), 10_000, 'the publishers to connect');
    const running = simulate(sensors, { bots: 12, rate: 3 });
    await waitFor(async () => (await storedIdentityCounts(url).catch(() => new Map())).size > 0, 20_000, 'the first collector to store events');
    const killed = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await killed;
    await new Promise((r) => setTimeout(r, 1000));
    const second = await spawnCollector(fleet, url);
    await running;
    const logged = await stopAndReadLogs(sensors);
    await expectStoredExactlyOnce(url, logged);

    const status = await runCli(['collect', 'status', '--nats', fleet.url, '--json', '--interval', '200'], { env: collectorEnv(fleet) });
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ stream: fleet.stream, consumer: fleet.consumer, pending: 0, ackPending: 0, lagMessages: 0 });
    const exited = new Promise((r) => second.once('exit', r));
    second.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
