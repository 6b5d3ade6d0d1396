import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicar, EICAR_NAME, startClamd, type ClamdInstance } from '../../test/helpers/clamd.js';
import { EventDispatcher } from '../events/dispatcher.js';
import type { HoneyscopeEvent } from '../events/event.js';
import { silentLogger } from '../lib/logger.js';
import { attachScanQueue, dispatchScanResult } from './attach-scan-queue.js';
import { ClamdClient } from './clamd/client.js';
import { createScanQueue, type CapturedFile, type ScanResultFields } from './scan-queue.js';

let dir: string;
const stops: ClamdInstance[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hs-scan-queue-'));
  await writeFile(join(dir, 'clean.bin'), 'just bytes');
  await writeFile(join(dir, 'eicar.bin'), eicar());
});

afterAll(async () => {
  for (const clamd of stops) await clamd.stop();
  await rm(dir, { recursive: true, force: true });
});

function file(name: string): CapturedFile {
  return { shasum: `sha-${name}`, path: join(dir, name), outfile: `downloads/${name}` };
}

describe('createScanQueue() with a real clamd', () => {
  it('scans queued files and emits clean and infected results', async () => {
    const clamd = await startClamd();
    stops.push(clamd);
    const client = new ClamdClient({ address: { kind: 'unix', path: clamd.socketPath } });
    const results: ScanResultFields[] = [];
    const queue = createScanQueue({ scan: (p) => client.scanFileStream(p), emit: async (fields) => results.push(fields), concurrency: 2, scanner: 'clamd test' });
    queue.enqueue(file('clean.bin'));
    queue.enqueue(file('eicar.bin'));
    queue.enqueue(file('missing.bin'));
    await queue.idle();
    expect(results.sort((a, b) => a.shasum.localeCompare(b.shasum))).toEqual([
      { shasum: 'sha-clean.bin', outfile: 'downloads/clean.bin', verdict: 'clean', signatures: [], reason: null, scanner: 'clamd test' },
      { shasum: 'sha-eicar.bin', outfile: 'downloads/eicar.bin', verdict: 'infected', signatures: [EICAR_NAME], reason: null, scanner: 'clamd test' },
      { shasum: 'sha-missing.bin', outfile: 'downloads/missing.bin', verdict: 'error', signatures: [], reason: `Cannot open "${join(dir, 'missing.bin')}": ENOENT`, scanner: 'clamd test' },
    ]);
  });

  it('retries while clamd is down, emits nothing meanwhile, and scans once it is up', async () => {
    const socketPath = join(dir, 'late.sock');
    const client = new ClamdClient({ address: { kind: 'unix', path: socketPath } });
    const results: ScanResultFields[] = [];
    let attempts = 0;
    const queue = createScanQueue({
      scan: (p) => {
        attempts += 1;
        return client.scanFileStream(p);
      },
      emit: async (fields) => results.push(fields),
      retryDelayMs: 50,
    });
    queue.enqueue(file('eicar.bin'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBeGreaterThan(2);
    expect(results).toEqual([]);
    expect(queue.size).toBe(1);
    stops.push(await startClamd({ socketPath }));
    await queue.idle();
    expect(results.map((r) => [r.verdict, r.signatures])).toEqual([['infected', [EICAR_NAME]]]);
  });

  it('reports a file that does not fit in the queue as an error at once', async () => {
    const results: ScanResultFields[] = [];
    const queue = createScanQueue({ scan: () => new Promise(() => undefined), emit: async (fields) => results.push(fields), concurrency: 1, maxQueued: 2 });
    expect(queue.enqueue(file('a'))).toBe(true);
    expect(queue.enqueue(file('b'))).toBe(true);
    expect(queue.enqueue(file('c'))).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toEqual([{ shasum: 'sha-c', outfile: 'downloads/c', verdict: 'error', signatures: [], reason: 'Not scanned: the scan queue is full (2 files)', scanner: 'clamd' }]);
    expect(await queue.close()).toBe(2);
  });

  it('gives up on a scan interrupted maxInterruptedAttempts times with an error, never clean', async () => {
    const results: ScanResultFields[] = [];
    const queue = createScanQueue({
      scan: async () => ({ kind: 'error', reason: 'clamd sent nothing for 200 ms', transient: 'interrupted' }),
      emit: async (fields) => results.push(fields),
      retryDelayMs: 5,
      maxInterruptedAttempts: 3,
    });
    queue.enqueue(file('x'));
    await queue.idle();
    expect(results.map((r) => [r.verdict, r.reason])).toEqual([['error', 'clamd sent nothing for 200 ms']]);
  });

  it('runs at most `concurrency` scans at once', async () => {
    let running = 0;
    let peak = 0;
    const queue = createScanQueue({
      scan: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
        return { kind: 'clean' };
      },
      emit: async () => undefined,
      concurrency: 3,
    });
    for (let i = 0; i < 12; i++) queue.enqueue(file(String(i)));
    await queue.idle();
    expect(peak).toBe(3);
  });
});

describe('attachScanQueue()', () => {
  it('scans captured downloads and dispatches results with the session identity', async () => {
    const clamd = stops[0]!;
    const client = new ClamdClient({ address: { kind: 'tcp', host: clamd.host, port: clamd.port } });
    const dispatcher = new EventDispatcher({ sensor: 'test', uuid: 'u-1', logger: silentLogger(), now: () => Date.UTC(2026, 10, 28) });
    const written: HoneyscopeEvent[] = [];
    dispatcher.addSink({ name: 'memory', write: (event) => void written.push(event) });
    const queue = createScanQueue({ scan: (p) => client.scanFileStream(p), emit: dispatchScanResult(dispatcher), scanner: 'clamd' });
    const detach = attachScanQueue(dispatcher, queue, dir);
    const identity = { session: 'abc123', protocol: 'ssh' as const, src_ip: '203.0.113.9', src_port: 40000, dst_ip: '10.0.0.2', dst_port: 22 };
    await dispatcher.dispatch({
      eventid: 'cowrie.session.file_download',
      message: 'Downloaded URL (http://x/e) with SHA-256 sha-e to eicar.bin',
      fields: { url: 'http://x/e', outfile: 'eicar.bin', shasum: 'sha-e', destfile: '/tmp/e', duplicate: false },
      identity,
    });
    await dispatcher.dispatch({ eventid: 'cowrie.session.file_download.failed', message: 'failed', fields: { url: 'http://x/f' }, identity });
    await queue.idle();
    detach();
    const results = written.filter((e) => e.eventid === 'honeyscope.scan.result');
    expect(results).toEqual([
      {
        session: 'abc123',
        protocol: 'ssh',
        src_ip: '203.0.113.9',
        src_port: 40000,
        dst_ip: '10.0.0.2',
        dst_port: 22,
        shasum: 'sha-e',
        outfile: 'eicar.bin',
        verdict: 'infected',
        signatures: [EICAR_NAME],
        reason: null,
        scanner: 'clamd',
        eventid: 'honeyscope.scan.result',
        sensor: 'test',
        uuid: 'u-1',
        timestamp: '2026-11-28T00:00:00.000000Z',
        message: `Scanned file sha-e: infected (${EICAR_NAME})`,
      },
    ]);
  });
});

describe('startCaptureScanning()', () => {
  it('is off unless scan.enabled, and scans downloads with the configured clamd when on', async () => {
    const { loadConfig } = await import('../config/load-config.js');
    const { startCaptureScanning } = await import('./start-capture-scanning.js');
    const clamd = stops[0]!;
    const dispatcher = new EventDispatcher({ sensor: 's', uuid: 'u', logger: silentLogger() });
    const written: HoneyscopeEvent[] = [];
    dispatcher.addSink({ name: 'memory', write: (event) => void written.push(event) });
    expect(await startCaptureScanning({ config: loadConfig(), dispatcher, logger: silentLogger() })).toBeUndefined();
    const config = loadConfig({ overrides: { core: { dataDir: dir }, scan: { enabled: true, clamd: `127.0.0.1:${clamd.port}` } } });
    const scanning = (await startCaptureScanning({ config, dispatcher, logger: silentLogger() }))!;
    await dispatcher.dispatch({ eventid: 'cowrie.session.file_upload', message: 'upload', fields: { filename: 'e', outfile: 'eicar.bin', shasum: 'sha-up' } });
    await scanning.queue.idle();
    expect(await scanning.stop()).toBe(0);
    expect(written.filter((e) => e.eventid === 'honeyscope.scan.result').map((e) => [e.shasum, e.verdict, e.signatures, e.scanner])).toEqual([
      ['sha-up', 'infected', [EICAR_NAME], `clamd 127.0.0.1:${clamd.port}`],
    ]);
  });
});
