// clamd client throughput against the real `clamdscan`, both on the same private clamd in the same run.
// Small files: HONEYSCOPE_BENCH_CLAMD_FILES (default 1000) files of 4 KiB; large: HONEYSCOPE_BENCH_CLAMD_MIB (default 100) MiB.
// Each measurement is repeated HONEYSCOPE_BENCH_CLAMD_ROUNDS (default 3) times, interleaved, and the median is kept.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ClamdClient } from '../src/scan/clamd/client.js';
import { scanFiles } from '../src/scan/scan-files.js';
import { MARKER, MARKER_NAME, startClamd } from '../test/helpers/clamd.js';

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function clamdscan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('clamdscan', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - start) / 1000, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

export async function run(): Promise<Record<string, unknown>> {
  const fileCount = envInt('HONEYSCOPE_BENCH_CLAMD_FILES', 1000);
  const mib = envInt('HONEYSCOPE_BENCH_CLAMD_MIB', 100);
  const rounds = envInt('HONEYSCOPE_BENCH_CLAMD_ROUNDS', 3);
  const limit = `${mib + 50}M`;
  // DisableCache: every round really scans (clamd would otherwise remember the hashes of files it saw).
  const clamd = await startClamd({ config: { StreamMaxLength: limit, MaxFileSize: limit, MaxScanSize: `${2 * mib + 100}M`, DisableCache: 'yes', MaxThreads: 8, MaxQueue: 200 } });
  const dir = await mkdtemp(join(tmpdir(), 'hs-bench-clamd-'));
  try {
    const smallDir = join(dir, 'small');
    await mkdir(smallDir);
    for (let i = 0; i < fileCount; i++) {
      // One file in 100 carries the marker, so both sides must really find something.
      const body = randomBytes(4096);
      if (i % 100 === 0) body.write(MARKER, 100, 'latin1');
      await writeFile(join(smallDir, `f${String(i).padStart(5, '0')}.bin`), body);
    }
    const smallFiles = (await readdir(smallDir)).sort().map((name) => join(smallDir, name));
    const infectedSmall = Math.ceil(fileCount / 100);

    const big = join(dir, 'big.bin');
    const out = createWriteStream(big);
    for (let i = 0; i < mib; i++) {
      const chunk = randomBytes(1024 * 1024);
      if (i === mib - 1) chunk.write(MARKER, chunk.length - MARKER.length, 'latin1');
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const client = new ClamdClient({ address: { kind: 'unix', path: clamd.socketPath }, streamMaxLength: 0, maxFileSize: 0 });
    const conf = ['--config-file', clamd.confPath];
    const small = { clamdscan: [] as number[], clamdscanStream: [] as number[], clamdscanMultiscan: [] as number[], oursPath: [] as number[], oursStream: [] as number[], oursMultiscan: [] as number[] };
    const large: Record<string, number[]> = { clamdscanStream: [], ours: [] };

    function checkOurs(name: string, results: { verdict: { kind: string } }[]): void {
      const found = results.filter((v) => v.verdict.kind === 'infected').length;
      const failed = results.filter((v) => v.verdict.kind === 'error').length;
      if (found !== infectedSmall || failed !== 0) throw new Error(`${name} found ${found} infected and ${failed} errors, expected ${infectedSmall} and 0`);
    }

    for (let r = 0; r < rounds; r++) {
      const a = await timed(() => clamdscan([...conf, '--no-summary', '-i', smallDir]));
      if (a.value.stdout.split('\n').filter((l) => l.endsWith(`${MARKER_NAME} FOUND`)).length !== infectedSmall) throw new Error(`clamdscan missed markers: ${a.value.stdout}${a.value.stderr}`);
      small.clamdscan!.push(a.seconds);
      const b = await timed(() => clamdscan([...conf, '--stream', '--no-summary', '-i', smallDir]));
      if (b.value.code !== 1) throw new Error(`clamdscan --stream failed: ${b.value.stderr}`);
      small.clamdscanStream!.push(b.seconds);
      const c = await timed(() => clamdscan([...conf, '--multiscan', '--no-summary', '-i', smallDir]));
      if (c.value.code !== 1) throw new Error(`clamdscan --multiscan failed: ${c.value.stderr}`);
      small.clamdscanMultiscan!.push(c.seconds);
      const d = await timed(() => scanFiles(client, smallFiles, { sessions: 4, window: 32, mode: 'path' }));
      checkOurs('IDSESSION SCAN', d.value);
      small.oursPath!.push(d.seconds);
      const d2 = await timed(() => scanFiles(client, smallFiles, { sessions: 4, window: 32, mode: 'stream' }));
      checkOurs('IDSESSION INSTREAM', d2.value);
      small.oursStream!.push(d2.seconds);
      const d3 = await timed(() => client.scanPaths(smallDir, 'MULTISCAN'));
      if (d3.value.filter((v) => v.verdict.kind === 'infected').length !== infectedSmall) throw new Error('MULTISCAN missed markers');
      small.oursMultiscan!.push(d3.seconds);

      const e = await timed(() => clamdscan([...conf, '--stream', '--no-summary', big]));
      if (!e.value.stdout.includes(`${MARKER_NAME} FOUND`)) throw new Error(`clamdscan --stream missed the marker in the large file: ${e.value.stdout}${e.value.stderr}`);
      large.clamdscanStream!.push(e.seconds);
      const f = await timed(() => client.scanFileStream(big));
      if (f.value.kind !== 'infected') throw new Error(`INSTREAM of the large file gave ${JSON.stringify(f.value)}`);
      large.ours!.push(f.seconds);
    }

    const filesPerSecond = (seconds: number[]): number => round(fileCount / median(seconds), 1);
    const mibPerSecond = (seconds: number[]): number => round(mib / median(seconds), 2);
    const fps = Object.fromEntries(Object.entries(small).map(([name, seconds]) => [name, filesPerSecond(seconds)])) as Record<keyof typeof small, number>;
    const oursMib = mibPerSecond(large.ours!);
    const baselineMib = mibPerSecond(large.clamdscanStream!);
    return {
      rounds,
      smallFiles: fileCount,
      smallFilesPerSecond: {
        ours_idsession_scan_4x32: fps.oursPath,
        ours_idsession_instream_4x32: fps.oursStream,
        ours_multiscan: fps.oursMultiscan,
        clamdscan_contscan: fps.clamdscan,
        clamdscan_stream: fps.clamdscanStream,
        clamdscan_multiscan: fps.clamdscanMultiscan,
      },
      // Like for like: paths clamd opens itself, then contents sent over the socket, then clamd's own MULTISCAN.
      smallRatioScanVsClamdscan: round(fps.oursPath / fps.clamdscan),
      smallRatioInstreamVsClamdscanStream: round(fps.oursStream / fps.clamdscanStream),
      smallRatioMultiscanVsClamdscanMultiscan: round(fps.oursMultiscan / fps.clamdscanMultiscan),
      smallTarget: 1.5,
      largeMiB: mib,
      largeMiBPerSecond: { ours_instream: oursMib, clamdscan_stream: baselineMib },
      largeRatioVsClamdscanStream: round(oursMib / baselineMib),
      largeTarget: 0.95,
      loadAverage: loadavg().map((v) => round(v)),
    };
  } finally {
    await clamd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
