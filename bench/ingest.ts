// Ingest rate of Cowrie logs into the embedded DuckDB store (DuckDB limited to one thread), compared in
// the same run with `jq -c .` reading the same files. BENCH_EVENTS sets the size (default 200000; the
// issue's full size is 10000000). BENCH_POSTGRES=1 also ingests into PostgreSQL (HONEYSCOPE_TEST_POSTGRES).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { PostgresStore, withDefaultUser } from '../src/store/postgres/postgres-store.js';
import { ingestFiles } from '../src/store/ingest/ingest-files.js';
import { replicateCowrie } from './_replicate-cowrie.js';

function timeJq(files: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('jq', ['-c', '.', ...files], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`jq exited with ${code}`))));
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const events = Number(process.env.BENCH_EVENTS ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'hs-bench-ingest-'));
  try {
    const data = join(dir, 'logs');
    await import('node:fs/promises').then((fs) => fs.mkdir(data));
    const files = await replicateCowrie(data, events);
    const jqSeconds = await timeJq(files);

    const store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'), { threads: 1 });
    const cpu0 = process.cpuUsage();
    const summary = await ingestFiles(store, [data]);
    const cpu = process.cpuUsage(cpu0);
    const again = await ingestFiles(store, [data]);
    await store.close();
    const duckSeconds = summary.elapsedMs / 1000;
    const result: Record<string, unknown> = {
      events,
      files: files.length,
      duckdbEventsPerSecond: Math.round(summary.inserted / duckSeconds),
      duckdbSeconds: round(duckSeconds),
      duckdbCpuSeconds: round((cpu.user + cpu.system) / 1e6),
      jqEventsPerSecond: Math.round(events / jqSeconds),
      jqSeconds: round(jqSeconds),
      ratioVsJq: round(jqSeconds / duckSeconds),
      reingestSeconds: round(again.elapsedMs / 1000),
      reingestInserted: again.inserted,
      stored: summary.inserted,
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

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
