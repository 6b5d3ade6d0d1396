// Fleet throughput: events/s end to end from ten sensors' JetStream publishers (JetStreamSink, the sink
// `honeyscope sensor --fleet` uses) through NATS JetStream and `honeyscope collect` processes into
// PostgreSQL, and the collectors' lag. Events are pre-generated and written to the sinks directly, so the
// SSH side is not the bottleneck. Baseline in the same run: PostgresStore.append alone with the same rows.
// BENCH_FLEET_EVENTS sets the size (default 300000), BENCH_FLEET_COLLECTORS the collector processes (2).
// A private nats-server (temp store directory) and a fresh PostgreSQL database are used and removed.
// CPU seconds per component over the measured window (from /proc) show where the cores went; the
// machine's total shows how much other work ran meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import pg from 'pg';
import type { HoneyscopeEvent } from '../src/events/event.js';
import { JetStreamSink } from '../src/fleet/jetstream-sink.js';
import type { FleetConfig } from '../src/fleet/nats-connect-options.js';
import { silentLogger } from '../src/lib/logger.js';
import { toEventRow } from '../src/store/event-row.js';
import { toCowrieJson } from '../src/events/to-cowrie-json.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { createTestDatabase, startNatsServer, testFleetConfig, waitFor } from '../test/helpers/fleet.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENSORS = 10;
const WINDOW = 4000;
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * Events `from` to `from + count - 1` of a plausible mix from one sensor (~300-400 bytes each as JSON),
 * each a literal, as cheap to make as a sensor's own events.
 */
function generate(sensor: string, from: number, count: number, startMs: number): HoneyscopeEvent[] {
  const out: HoneyscopeEvent[] = [];
  const protocol = 'ssh';
  const uuid = '6f1c2a55-7f3e-4a8e-9a43-3d1a4f0c9b21';
  for (let i = from; i < from + count; i += 1) {
    const session = `${sensor}${(i >> 4).toString(16).padStart(8, '0')}`;
    const src_ip = `198.51.${(i >> 12) & 255}.${(i >> 4) & 255}`;
    const src_port = 40000 + (i % 20000);
    const timestamp = new Date(startMs + i).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
    const kind = i % 16;
    let e: Record<string, unknown>;
    if (kind === 0) {
      const message = `New connection: ${src_ip}:${src_port} (203.0.113.5:22) [session: ${session}]`;
      e = { eventid: 'cowrie.session.connect', session, protocol, src_ip, src_port, dst_ip: '203.0.113.5', dst_port: 22, sensor, uuid, timestamp, message };
    } else if (kind < 4) {
      e = { eventid: 'cowrie.login.failed', username: 'root', password: `pw${i}`, message: `login attempt [root/pw${i}] failed`, session, protocol, src_ip, src_port, dst_ip: '203.0.113.5', dst_port: 22, sensor, uuid, timestamp };
    } else if (kind === 4) {
      e = { eventid: 'cowrie.login.success', username: 'root', password: 'admin', message: 'login attempt [root/admin] succeeded', session, protocol, src_ip, src_port, dst_ip: '203.0.113.5', dst_port: 22, sensor, uuid, timestamp };
    } else if (kind < 10) {
      e = { eventid: 'cowrie.command.input', input: `uname -a; echo ${i}`, message: `CMD: uname -a; echo ${i}`, session, protocol, src_ip, src_port, dst_ip: '203.0.113.5', dst_port: 22, sensor, uuid, timestamp };
    } else if (kind < 15) {
      const message = `direct-tcp connection request to 192.0.2.80:443 from 127.0.0.1:${i % 65535}`;
      e = { eventid: 'cowrie.direct-tcpip.request', session, protocol, src_ip, src_port, dst_ip: '192.0.2.80', dst_port: 443, sensor, uuid, timestamp, message };
    } else {
      e = { eventid: 'cowrie.session.closed', duration_ms: 900, message: 'Connection lost after 900 milliseconds', session, protocol, src_ip, src_port, dst_ip: '203.0.113.5', dst_port: 22, sensor, uuid, timestamp };
    }
    out.push(Object.freeze(e) as HoneyscopeEvent);
  }
  return out;
}

function spawnCollector(fleet: FleetConfig, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', 'collect', '--nats', fleet.url, '--postgres', url], {
    cwd: ROOT,
    env: { ...process.env, HONEYSCOPE_FLEET_STREAM: fleet.stream, HONEYSCOPE_FLEET_SUBJECT_PREFIX: fleet.subjectPrefix, HONEYSCOPE_FLEET_CONSUMER: fleet.consumer, HONEYSCOPE_CORE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('collector pulling')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU seconds (user + system) the process has used so far; 0 when it is gone. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds every core of the machine spent busy so far (anyone's work). */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

/** The nats-server listening on `port` (found by its command line). */
function natsServerPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('nats-server') && argv.includes(String(port))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Cumulative CPU seconds of a changing set of processes (PostgreSQL backends come and go), by pid. */
class CpuMeter {
  readonly #start = new Map<number, number>();
  readonly #last = new Map<number, number>();

  sample(pids: Iterable<number>): void {
    for (const pid of pids) {
      const seconds = processCpuSeconds(pid);
      if (seconds === 0) continue;
      if (!this.#start.has(pid)) this.#start.set(pid, seconds);
      this.#last.set(pid, seconds);
    }
  }

  seconds(): number {
    let total = 0;
    for (const [pid, last] of this.#last) total += last - this.#start.get(pid)!;
    return total;
  }
}

async function backendPids(client: pg.Client): Promise<number[]> {
  const r = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return r.rows.map((row) => row.pid);
}

async function countRows(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(r.rows[0]?.n ?? 0);
}

/** The same rows straight into PostgresStore.append, 5000 per call: the store's ceiling here. */
async function appendBaseline(events: HoneyscopeEvent[]): Promise<number> {
  const db = await createTestDatabase();
  try {
    const store = await PostgresStore.open(db.url);
    try {
      const rows = events.map((e) => toEventRow(e, toCowrieJson(e)));
      const started = performance.now();
      for (let i = 0; i < rows.length; i += 5000) await store.append(rows.slice(i, i + 5000));
      return rows.length / ((performance.now() - started) / 1000);
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
}

/** Ten publishers into a stream nobody consumes: the transport's own rate, without PostgreSQL competing. */
async function publishOnly(natsUrl: string, perSensor: number, startMs: number, spoolRoot: string): Promise<number> {
  const fleet = testFleetConfig({ url: natsUrl, publishTimeoutMs: 10_000 });
  const sinks = await Promise.all(Array.from({ length: SENSORS }, (_, s) => JetStreamSink.open({ fleet, sensor: `only-${s}`, spoolDir: join(spoolRoot, `only-${s}`), logger: silentLogger() })));
  try {
    await waitFor(() => sinks.every((k) => k.stats().connected), 10_000, 'the publishers to connect');
    const started = performance.now();
    await Promise.all(sinks.map((sink, s) => publishAll(sink, `only-${s}`, perSensor, startMs + s * 7)));
    return (SENSORS * perSensor) / ((performance.now() - started) / 1000);
  } finally {
    for (const sink of sinks) await sink.close();
    const nc = await connect({ servers: natsUrl });
    await (await nc.jetstreamManager()).streams.delete(fleet.stream);
    await nc.close();
  }
}

/**
 * One sensor's events, made a window at a time as a sensor makes them: a
 * sensor never holds its whole output, and a heap holding it would make every
 * major GC trace it, charging the publishers for the benchmark's own memory.
 */
async function publishAll(sink: JetStreamSink, sensor: string, count: number, startMs: number): Promise<void> {
  for (let i = 0; i < count; i += WINDOW) await Promise.all(generate(sensor, i, Math.min(WINDOW, count - i), startMs).map((e) => sink.write(e)));
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export async function run(): Promise<Record<string, unknown>> {
  const total = Number(process.env.BENCH_FLEET_EVENTS ?? 300_000);
  const collectors = Number(process.env.BENCH_FLEET_COLLECTORS ?? 2);
  const perSensor = Math.ceil(total / SENSORS);
  const startMs = Date.parse('2026-11-28T00:00:00Z');
  const baselinePerSensor = Math.ceil(Math.min(100_000, total) / SENSORS);
  const baselineAppendPerSecond = await appendBaseline(Array.from({ length: SENSORS }, (_, s) => generate(`bench-sensor-${s}`, 0, baselinePerSensor, startMs + s * 7)).flat());

  const nats = await startNatsServer();
  const db = await createTestDatabase();
  const spoolRoot = await mkdtemp(join(tmpdir(), 'hs-bench-fleet-'));
  // A loaded machine can take over a second to ack; the default timeout would measure the spool, not the stream.
  const fleet = testFleetConfig({ url: nats.url, publishTimeoutMs: 10_000 });
  const children: ChildProcess[] = [];
  const client = new pg.Client({ connectionString: db.url });
  const sinks: JetStreamSink[] = [];
  try {
    const transportOnlyPublishPerSecond = await publishOnly(nats.url, Math.ceil(100_000 / SENSORS), startMs, spoolRoot);
    for (let i = 0; i < collectors; i += 1) children.push(await spawnCollector(fleet, db.url));
    await client.connect();
    for (let s = 0; s < SENSORS; s += 1) sinks.push(await JetStreamSink.open({ fleet, sensor: `bench-sensor-${s}`, spoolDir: join(spoolRoot, String(s)), logger: silentLogger() }));
    await waitFor(() => sinks.every((k) => k.stats().connected), 10_000, 'the publishers to connect');
    const nc = await connect({ servers: nats.url });
    const jsm = await nc.jetstreamManager();
    let maxLagMessages = 0;
    const natsPid = natsServerPid(Number(new URL(nats.url).port));
    const collectorCpu = new CpuMeter();
    const postgresCpu = new CpuMeter();
    const natsCpu = new CpuMeter();
    const sampleCpu = async (): Promise<void> => {
      collectorCpu.sample(children.map((c) => c.pid!));
      natsCpu.sample(natsPid === undefined ? [] : [natsPid]);
      postgresCpu.sample(await backendPids(client));
    };
    await sampleCpu();
    const sampler = setInterval(() => {
      // A sample lost while the server is busy only makes the maximum less exact.
      void jsm.consumers.info(fleet.stream, fleet.consumer).then(
        (ci) => {
          maxLagMessages = Math.max(maxLagMessages, ci.num_pending + ci.num_ack_pending);
        },
        () => undefined,
      );
      void sampleCpu().catch(() => undefined);
    }, 250);

    const loadBefore = loadavg()[0]!;
    const machineBefore = machineBusySeconds();
    const publisherBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(sinks.map((sink, s) => publishAll(sink, `bench-sensor-${s}`, perSensor, startMs + s * 7)));
    const publishedAt = performance.now();
    const storedAtPublishEnd = await countRows(client);
    await waitFor(async () => (await countRows(client)) >= perSensor * SENSORS, 600_000, 'every event in PostgreSQL');
    const doneAt = performance.now();
    const publisherCpu = process.cpuUsage(publisherBefore);
    const machineBusy = machineBusySeconds() - machineBefore;
    clearInterval(sampler);
    await sampleCpu();
    const info = await jsm.streams.info(fleet.stream);
    await nc.close();

    const events = perSensor * SENSORS;
    const spooled = sinks.reduce((n, k) => n + k.stats().spooled, 0);
    return {
      events,
      sensors: SENSORS,
      collectors,
      natsMessages: info.state.messages,
      eventsPerMessage: Math.round(events / Math.max(1, info.state.messages)),
      spooledEvents: spooled,
      transportOnlyPublishPerSecond: Math.round(transportOnlyPublishPerSecond),
      publishEventsPerSecond: Math.round(events / ((publishedAt - started) / 1000)),
      endToEndEventsPerSecond: Math.round(events / ((doneAt - started) / 1000)),
      lagEventsWhenPublishingEnded: events - storedAtPublishEnd,
      lagSecondsAfterPublishingEnded: Number(((doneAt - publishedAt) / 1000).toFixed(2)),
      maxConsumerLagMessages: maxLagMessages,
      baselineAppendPerSecond: Math.round(baselineAppendPerSecond),
      endToEndVsAppendBaseline: Number(((events / ((doneAt - started) / 1000)) / baselineAppendPerSecond).toFixed(2)),
      targetEventsPerSecond: 50_000,
      // CPU seconds over the measured window (first publish to last row stored).
      cpuSecondsPublishers: round2((publisherCpu.user + publisherCpu.system) / 1e6),
      cpuSecondsNats: round2(natsCpu.seconds()),
      cpuSecondsCollectors: round2(collectorCpu.seconds()),
      cpuSecondsPostgresBackends: round2(postgresCpu.seconds()),
      cpuSecondsMachine: round2(machineBusy),
      cpuSecondsAvailable: round2(cpus().length * ((doneAt - started) / 1000)),
      loadAverage: [round2(loadBefore), round2(loadavg()[0]!)],
    };
  } finally {
    for (const sink of sinks) await sink.close();
    for (const child of children) await stop(child);
    await client.end();
    await db.drop();
    await nats.dispose();
    await rm(spoolRoot, { recursive: true, force: true });
  }
}
