// Ingest rate of Cowrie logs into the embedded DuckDB store (DuckDB limited to one thread; regular files take
// the native bulk path, see src/store/ingest/ingest-bulk.ts), compared in
// the same run with `jq -c .` reading the same files, and with DuckDB's own cost to store the same rows
// already typed (the floor no ingest into this schema can beat). BENCH_EVENTS sets the size (default 200000; the
// issue's full size is 10000000). BENCH_POSTGRES=1 also ingests into PostgreSQL (HONEYSCOPE_TEST_POSTGRES).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { inTransaction } from '../src/store/duckdb/in-transaction.js';
import { PostgresStore, withDefaultUser } from '../src/store/postgres/postgres-store.js';
import { ingestFiles } from '../src/store/ingest/ingest-files.js';
import { replicateCowrie } from './_replicate-cowrie.js';

/** Runs `jq -c .` over the files; wall seconds and jq's CPU seconds (bash `times` for its children). */
function timeJq(files: string[]): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', 'jq -c . "$@" > /dev/null && times', 'jq-bench', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`jq exited with ${code}`));
      const children = out.trim().split('\n')[1] ?? '';
      const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ wall: (performance.now() - started) / 1000, cpu });
    });
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const events = Number(process.env.BENCH_EVENTS ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'hs-bench-ingest-'));
  try {
    const data = join(dir, 'logs');
    await import('node:fs/promises').then((fs) => fs.mkdir(data));
    const files = await replicateCowrie(data, events);
    const jq = await timeJq(files);

    const store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'), { threads: 1 });
    const cpu0 = process.cpuUsage();
    const summary = await ingestFiles(store, [data]);
    const cpu = process.cpuUsage(cpu0);
    const again = await ingestFiles(store, [data]);
    await store.close();
    const storeBytes = (await stat(join(dir, 'honeyscope.duckdb'))).size;
    const floor = await storageFloor(join(dir, 'honeyscope.duckdb'), join(dir, 'floor.duckdb'), Math.min(summary.inserted, FLOOR_ROWS));
    const duckSeconds = summary.elapsedMs / 1000;
    const duckCpu = (cpu.user + cpu.system) / 1e6;
    // On a shared machine wall time depends on the neighbours; events per CPU-second is the one-core rate.
    const result: Record<string, unknown> = {
      events,
      files: files.length,
      duckdbEventsPerSecond: Math.round(summary.inserted / duckSeconds),
      duckdbEventsPerCpuSecond: Math.round(summary.inserted / duckCpu),
      duckdbSeconds: round(duckSeconds),
      duckdbCpuSeconds: round(duckCpu),
      // The kernel's share: page faults and page-cache writes, which cost far more on some virtual machines than on others.
      duckdbSystemCpuSeconds: round(cpu.system / 1e6),
      jqEventsPerSecond: Math.round(events / jq.wall),
      jqEventsPerCpuSecond: Math.round(events / jq.cpu),
      jqSeconds: round(jq.wall),
      jqCpuSeconds: round(jq.cpu),
      ratioVsJq: round(jq.wall / duckSeconds),
      cpuRatioVsJq: round(jq.cpu / duckCpu),
      // What DuckDB itself needs to store these rows already typed: no ingest into this schema can beat it.
      duckdbFloorEventsPerCpuSecond: floor.withRaw,
      duckdbFloorWithoutRawEventsPerCpuSecond: floor.withoutRaw,
      shareOfFloor: round(summary.inserted / duckCpu / floor.withRaw),
      // The store file after the ingest (its log checkpointed at close).
      storeBytesPerEvent: Math.round(storeBytes / summary.inserted),
      reingestSeconds: round(again.elapsedMs / 1000),
      reingestInserted: again.inserted,
      stored: summary.inserted,
      // The machine is shared: the 1/5/15-minute load averages while this ran.
      loadAverage: loadavg().map(round),
    };
    if (process.env.BENCH_POSTGRES === '1') {
      const url = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
      const schema = `hs_bench_${randomBytes(4).toString('hex')}`;
      const pgStore = await PostgresStore.open(url, { schema });
      try {
        const s = await ingestFiles(pgStore, [data]);
        result.postgresEventsPerSecond = Math.round(s.inserted / (s.elapsedMs / 1000));
      } finally {
        await pgStore.close();
        const client = new pg.Client({ connectionString: withDefaultUser(url) });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rows of the ingested store copied for the floor measurement. */
const FLOOR_ROWS = 1_000_000;

/**
 * DuckDB's own cost, on one thread, to insert and commit `rows` of the
 * ingested events (already typed, read from memory) into a new store file:
 * events per CPU-second with `raw` and with the typed columns alone.
 */
async function storageFloor(storePath: string, floorPath: string, rows: number): Promise<{ withRaw: number; withoutRaw: number }> {
  // Both files are open in this process (DuckDB's instance cache), which forbids attaching one to the other.
  const rowsFile = `${floorPath}.parquet`;
  const source = await (await DuckDBInstance.fromCache(storePath)).connect();
  try {
    await source.run(`COPY (SELECT * FROM events LIMIT ${rows}) TO '${rowsFile}' (FORMAT parquet)`);
  } finally {
    source.closeSync();
  }
  await (await DuckDbStore.open(floorPath, { threads: 1 })).close();
  const conn = await (await DuckDBInstance.fromCache(floorPath)).connect();
  try {
    await conn.run(`CREATE TEMP TABLE floor_rows AS SELECT * FROM '${rowsFile}'`);
    await conn.run('CREATE TABLE typed AS SELECT * EXCLUDE (raw) FROM floor_rows LIMIT 0');
    const rate = async (sql: string): Promise<number> => {
      const cpu0 = process.cpuUsage();
      await inTransaction(conn, () => conn.run(sql));
      const cpu = process.cpuUsage(cpu0);
      return Math.round(rows / ((cpu.user + cpu.system) / 1e6));
    };
    return {
      withRaw: await rate('INSERT INTO events SELECT * FROM floor_rows'),
      withoutRaw: await rate('INSERT INTO typed SELECT * EXCLUDE (raw) FROM floor_rows'),
    };
  } finally {
    conn.closeSync();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
