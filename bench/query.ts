// Report, tree-map and rate query latency (p50/p95) on both stores, over the real kareiva days
// replicated to BENCH_EVENTS events (default 200000; the full size is 10000000).
// BENCH_QUERY_RUNS sets the repetitions (default 20). PostgreSQL: HONEYSCOPE_TEST_POSTGRES; BENCH_QUERY_STORES=duckdb
// (or postgres) measures one store only. DuckDB is measured twice: right after the bulk load in the same process,
// and in a new process on the same file (duckdbFreshProcess), as `honeyscope report` after `honeyscope ingest`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildReport } from '../src/analysis/build-report.js';
import { loadOutboundRules } from '../src/analysis/outbound-rules.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ingestFiles } from '../src/store/ingest/ingest-files.js';
import { PostgresStore, withDefaultUser } from '../src/store/postgres/postgres-store.js';
import type { Store } from '../src/store/store.js';
import { replicateCowrie } from './_replicate-cowrie.js';

async function latencies(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

export async function measure(store: Store, runs: number): Promise<Record<string, unknown>> {
  const rules = await loadOutboundRules();
  // The first report after the bulk load also builds the rollups from it.
  const started = performance.now();
  await buildReport(store, { rules });
  return {
    firstReportMs: Math.round(performance.now() - started),
    report: await latencies(runs, () => buildReport(store, { rules })),
    treeMap: await latencies(runs, () => store.outboundTriples({}, 20_000)),
    rate: await latencies(runs, () => store.outboundPerMinute({})),
    byOriginIp: await latencies(runs, () => store.outboundByOrigin({}, 50)),
  };
}

/** measure() on the DuckDB store at `path` in a new process (bench/_query-fresh.ts). */
function measureInChild(path: string, runs: number): Promise<unknown> {
  const script = fileURLToPath(new URL('./_query-fresh.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(runs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench/_query-fresh.ts exited with ${code}`))));
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const events = Number(process.env.BENCH_EVENTS ?? 200_000);
  const runs = Number(process.env.BENCH_QUERY_RUNS ?? 20);
  const dir = await mkdtemp(join(tmpdir(), 'hs-bench-query-'));
  const url = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
  const schema = `hs_bench_${randomBytes(4).toString('hex')}`;
  try {
    const logs = join(dir, 'logs');
    await mkdir(logs);
    await replicateCowrie(logs, events);
    const stores = process.env.BENCH_QUERY_STORES ?? 'duckdb,postgres';
    const result: Record<string, unknown> = { events, runs };
    if (stores.includes('duckdb')) {
      const path = join(dir, 'honeyscope.duckdb');
      const duck = await DuckDbStore.open(path);
      try {
        await ingestFiles(duck, [logs]);
        result.duckdb = await measure(duck, runs);
      } finally {
        await duck.close();
      }
      result.duckdbFreshProcess = await measureInChild(path, runs);
    }
    if (stores.includes('postgres')) {
      const pgStore = await PostgresStore.open(url, { schema });
      try {
        await ingestFiles(pgStore, [logs]);
        // Statistics for the planner, after the rollups are built from the load.
        const started = performance.now();
        await pgStore.analyze();
        result.postgres = { analyzeMs: Math.round(performance.now() - started), ...(await measure(pgStore, runs)) };
      } finally {
        await pgStore.close();
      }
    }
    // The machine is shared: the 1/5/15-minute load averages while this ran.
    result.loadAverage = loadavg().map((x) => Math.round(x * 100) / 100);
    return result;
  } finally {
    const client = new pg.Client({ connectionString: withDefaultUser(url) });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}
