import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'nats';
import pg from 'pg';
import { startSensorRuntime, type SensorRuntime } from '../../src/cli/sensor-runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createFleetSink } from '../../src/fleet/create-fleet-sink.js';
import type { JetStreamSink } from '../../src/fleet/jetstream-sink.js';
import type { FleetConfig } from '../../src/fleet/nats-connect-options.js';
import { silentLogger } from '../../src/lib/logger.js';
import { eventIdentity } from '../../src/store/event-row.js';
import { withDefaultUser } from '../../src/store/postgres/postgres-store.js';

/** The shared servers (scripts/services.sh). */
export const TEST_NATS_URL = process.env.HONEYSCOPE_TEST_NATS ?? 'nats://127.0.0.1:4222';
export const TEST_POSTGRES_URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
const NATS_SERVER = '/usr/sbin/nats-server';

/** A fleet config with its own stream, subjects and consumer, so tests on the shared server never meet. */
export function testFleetConfig(overrides: Partial<FleetConfig> = {}): FleetConfig {
  const tag = randomBytes(5).toString('hex');
  return loadConfig({
    overrides: { fleet: { url: TEST_NATS_URL, stream: `HSTEST_${tag}`, subjectPrefix: `hstest${tag}.events`, consumer: `collector-${tag}`, publishTimeoutMs: 1000, ...overrides } },
  }).fleet;
}

/** Deletes a test stream (and its consumers); a missing stream is fine. */
export async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, maxReconnectAttempts: 0 });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch((err: unknown) => {
      if (!/not found/i.test(String(err))) throw err;
    });
  } finally {
    await nc.close();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database (the CLI collector has no schema option), dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hs_fleet_${randomBytes(5).toString('hex')}`;
  const admin = withDefaultUser(TEST_POSTGRES_URL);
  await runSql(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runSql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** How many times each event identity is stored (ids without dashes, as eventIdentity() gives them). */
export async function storedIdentityCounts(url: string, options: { schema?: string } = {}): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: withDefaultUser(url) });
  await client.connect();
  try {
    const table = options.schema ? `${options.schema}.events` : 'events';
    const result = await client.query<{ id: string; n: string }>(`SELECT id::text AS id, count(*) AS n FROM ${table} GROUP BY id`);
    return new Map(result.rows.map((r) => [r.id.replaceAll('-', ''), Number(r.n)]));
  } finally {
    await client.end();
  }
}

/** The identity of every event in a JSONL event log. */
export async function loggedIdentities(logPath: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const line of createInterface({ input: createReadStream(logPath) })) {
    if (line !== '') ids.push(eventIdentity(JSON.parse(line) as Record<string, unknown>));
  }
  return ids;
}

/** True when every session the log opened is closed (the sensor will log nothing more without new connections). */
export async function allSessionsClosed(logPath: string): Promise<boolean> {
  const open = new Set<string>();
  for await (const line of createInterface({ input: createReadStream(logPath) })) {
    if (line === '') continue;
    const event = JSON.parse(line) as { eventid: string; session?: string };
    if (event.eventid === 'cowrie.session.connect' && event.session) open.add(event.session);
    if (event.eventid === 'cowrie.session.closed' && event.session) open.delete(event.session);
  }
  return open.size === 0;
}

/** Polls `check` every 100 ms until it is true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('Expected a TCP address');
  return address.port;
}

export interface TestNatsServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM: a restart as an operator does it) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store directory. */
  start(): Promise<void>;
  /** Stops it and removes its store directory. */
  dispose(): Promise<void>;
}

/** A private nats-server with JetStream on a free loopback port, for tests that stop and restart it. */
export async function startNatsServer(extraArgs: string[] = []): Promise<TestNatsServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hs-nats-'));
  let child: ChildProcess | undefined;
  const server: TestNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir, ...extraArgs], { stdio: 'ignore' });
      await waitFor(() => canConnect(port), 10_000, `nats-server on port ${port}`);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface FleetTestSensor extends SensorRuntime {
  readonly port: number;
  readonly dataDir: string;
  readonly sink: JetStreamSink;
  /** Stops the sensor once (later calls wait for the same close) and keeps its data directory. */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

/** A real sensor (random port, temp data dir) whose events also go to the fleet. */
export async function startFleetSensor(fleet: FleetConfig, name: string): Promise<FleetTestSensor> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hs-fleet-sensor-'));
  const config = loadConfig({
    overrides: {
      core: { dataDir, sensorName: name },
      sensor: { listen: '127.0.0.1:0', hostKeyTypes: ['ed25519'], authFailDelayMs: 10 },
      log: { fsync: false },
      fleet,
    },
  });
  const logger = silentLogger();
  const sink = await createFleetSink(config, logger);
  const runtime = await startSensorRuntime(config, logger, { sinks: [sink] });
  let closing: Promise<void> | undefined;
  return {
    ...runtime,
    port: runtime.sensor.address.port,
    dataDir,
    sink,
    close: () => (closing ??= runtime.close()),
    async dispose() {
      await (closing ??= runtime.close());
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
