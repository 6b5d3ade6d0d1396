// Intel import and export of generated indicators: `BENCH_INDICATORS=1000000 npm run bench -- intel` for the full size.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { exportIntel } from '../src/intel/export-intel.js';
import type { BadIndicator } from '../src/intel/bad-indicator.js';
import { readIntelFile } from '../src/intel/sources/files.js';
import { openDuckDbIntelStore } from '../src/store/intel/duckdb-intel-store.js';

/** Deterministic pseudo-random indicators: 60 % domains, 30 % IPv4, 5 % CIDRs, 5 % SHA-256. */
function indicator(i: number): string {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const kind = i % 20;
  if (kind < 12) return `h${h.toString(36)}.x${(i % 997).toString(36)}.example${i % 7}.test`;
  if (kind < 18) return `${(h >>> 24) % 223 + 1}.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${i & 255}`;
  if (kind === 18) return `${(h >>> 24) % 223 + 1}.${(h >>> 16) & 255}.${(i >>> 8) & 255}.0/24`;
  return (h.toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0')).repeat(4);
}

interface Mark {
  wall: bigint;
  cpu: NodeJS.CpuUsage;
}

function mark(): Mark {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

/** Wall seconds, and CPU seconds of the whole process (DuckDB threads included): on a shared, loaded machine the second is the fairer figure. */
function elapsed(start: Mark): { wall: number; cpu: number } {
  const cpu = process.cpuUsage(start.cpu);
  return { wall: Number(process.hrtime.bigint() - start.wall) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

export async function run(): Promise<Record<string, unknown>> {
  const n = Number(process.env.BENCH_INDICATORS ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), 'hs-bench-intel-'));
  try {
    const feed = join(dir, 'feed.txt');
    const out = createWriteStream(feed);
    let buf = '';
    for (let i = 0; i < n; i++) {
      buf += `${indicator(i)}\n`;
      if (buf.length > 1 << 16) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    out.end(buf);
    await once(out, 'finish');

    const store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
    const figures: Record<string, unknown> = { indicators: n };
    try {
      const bad: BadIndicator[] = [];
      let t = mark();
      const imported = await store.replaceSource('bench', readIntelFile(feed, { source: 'bench', bad, now: Date.now() }));
      const imp = elapsed(t);
      figures.importSeconds = imp.wall;
      figures.importCpuSeconds = imp.cpu;
      figures.imported = imported;
      figures.badLines = bad.length;
      figures.rssAfterImportMB = Math.round(process.memoryUsage().rss / 2 ** 20);
      for (const format of ['rpz', 'silk', 'zeek'] as const) {
        const path = join(dir, `out.${format}`);
        t = mark();
        const result = await exportIntel(store, { format, path, whitelist: ['example3.test', '10.0.0.0/8'] });
        const e = elapsed(t);
        figures[`${format}Seconds`] = e.wall;
        figures[`${format}CpuSeconds`] = e.cpu;
        figures[`${format}Written`] = result.written;
        figures[`${format}MB`] = Math.round(((await stat(path)).size / 2 ** 20) * 10) / 10;
      }
    } finally {
      await store.close();
    }
    figures.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    figures.targets = 'each export < 3 s, memory < 1 GB';
    figures.loadAverage = loadavg().map((l) => Math.round(l * 10) / 10);
    figures.cpus = cpus().length;
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
