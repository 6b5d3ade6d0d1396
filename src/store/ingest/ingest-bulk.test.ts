import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import { bulkCandidate } from './ingest-bulk.js';
import { ingestFiles, type IngestSummary } from './ingest-files.js';

const KAREIVA = '/work/shared/fixtures/cowrie/kareiva-2018';
const COWRIE_3 = '/work/shared/fixtures/cowrie/cowrie-3.0.12';

/** Every stored row, all columns, in identity order. */
async function storedRows(path: string): Promise<string[]> {
  const conn = await (await DuckDBInstance.fromCache(path)).connect();
  try {
    const events = (await conn.runAndReadAll('SELECT * FROM events ORDER BY id')).getRowObjectsJson();
    return events.map((r) => JSON.stringify(r));
  } finally {
    conn.closeSync();
  }
}

/** Ingests `paths` once through the bulk path and once streaming; returns both stores' rows and summaries. */
async function bothPaths(dir: string, paths: string[]): Promise<{ bulk: string[]; streamed: string[]; bulkSummary: IngestSummary; streamedSummary: IngestSummary; passes: number }> {
  const bulkPath = join(dir, 'bulk.duckdb');
  const streamedPath = join(dir, 'streamed.duckdb');
  const bulkStore = await DuckDbStore.open(bulkPath);
  const streamedStore = await DuckDbStore.open(streamedPath);
  let passes = 0;
  const stage = bulkStore.bulkStage.bind(bulkStore);
  bulkStore.bulkStage = (files, gzip) => {
    passes += 1;
    return stage(files, gzip);
  };
  let bulkSummary: IngestSummary;
  let streamedSummary: IngestSummary;
  try {
    bulkSummary = await ingestFiles(bulkStore, paths);
    streamedSummary = await ingestFiles(streamedStore, paths, { batchSize: 1_000_000 });
  } finally {
    await bulkStore.close();
    await streamedStore.close();
  }
  return { bulk: await storedRows(bulkPath), streamed: await storedRows(streamedPath), bulkSummary, streamedSummary, passes };
}

const TS = '2026-11-28T17:04:00.123456Z';
function ev(fields: Record<string, unknown>): string {
  return JSON.stringify({ eventid: 'cowrie.command.input', timestamp: TS, session: 's1', sensor: 'h', message: 'm', ...fields });
}

describe('ingestFiles() bulk path', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-bulk-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the same rows as the streaming path for every fixture era, in one pass', { timeout: 120_000 }, async () => {
    const r = await bothPaths(dir, [KAREIVA, COWRIE_3]);
    expect(r.passes).toBe(1);
    expect(r.bulk.length).toBeGreaterThan(16_000);
    expect(r.bulk.filter((row, i) => row !== r.streamed[i]).slice(0, 3)).toEqual([]);
    expect(r.bulk.length).toBe(r.streamed.length);
    expect(r.bulkSummary).toMatchObject({ lines: r.streamedSummary.lines, inserted: r.streamedSummary.inserted, malformed: 0 });
  });

  it('stores the same rows and reports the same malformed lines for unusual values', async () => {
    const lines = [
      ev({ message: 'plain', src_port: 52577, dst_port: '2222', duration: 88.7005 }),
      ev({ message: 'numeric sensor', sensor: 42, session: 7 }),
      ev({ message: 'float port', src_port: 1.0, dst_port: 123456, duration: '1.5' }),
      ev({ message: 'string port', src_port: '65536x', dst_port: ' 80', duration: ' 2' }),
      ev({ message: 'bool user', username: true, password: ['x'], input: '[ -f /tmp/x ]' }),
      ev({ message: 'string duration_ms', duration_ms: '12', duration: 3 }),
      ev({ message: 'number duration_ms', duration_ms: 12.25, duration: 3 }),
      ev({ message: 'half up', duration: 0.0005 }),
      ev({ message: 'negative half', duration: -0.0025 }),
      ev({ message: '' }),
      ev({ message: ['a', 'list'] }),
      ev({ message: 12 }),
      ev({ message: 'surrogate \ud83d\ude00 and \u00e9' }),
      ev({ message: 'offset', timestamp: '2026-11-28T18:04:00.123+01:00' }),
      ev({ message: 'no fraction', timestamp: '2026-11-28T17:04:00Z' }),
      ev({ message: 'feb 30', timestamp: '2026-02-30T17:04:00.000000Z' }),
      ev({ eventid: 'cowrie.direct-tcpip.request', message: 'direct-tcp connection request to 1.2.3.4:80 from 5.6.7.8:4444', src_port: 4444, dst_ip: '1.2.3.4', dst_port: 80 }),
      ev({ eventid: 'cowrie.direct-tcpip.request', message: 'direct-tcp connection request to 1.2.3.4:80 from 9.9.9.9:5', src_port: 5, orig_port: 6 }),
      ev({ eventid: 'cowrie.direct-tcpip.request', message: 'request to x from \u00e9:7', src_port: 7 }),
      ev({ eventid: 'cowrie.direct-tcpip.request', message: 'no claim', src_port: 8 }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'http', data: "b'GET / HTTP/1.1\\r\\nHost: example.com\\r\\n\\r\\n'" }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'http again', data: "b'GET / HTTP/1.1\\r\\nHost: example.com\\r\\n\\r\\n'" }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'b64', data_b64: Buffer.from('EHLO bot.example\r\n').toString('base64') }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'empty data', data: '' }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'no data' }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'numeric data', data: 5 }),
      ev({ eventid: 'x.unknown', message: 'plain' }),
      ev({ message: 'plain', src_port: 52577, dst_port: '2222', duration: 88.7005 }),
      '{"eventid": "cowrie.login.failed", "timestamp": "2026-11-28T17:04:00.000000Z", "message": "trailing", }',
      '{"eventid": "cowrie.login.failed", "timestamp": "2026-11-28T17:04:00.000000Z", "message": "nan", "duration": NaN}',
      '',
      '[1,2]',
      'not json',
      '{"eventid":"x.z"}',
      '{"eventid":"x.y","timestamp":"yesterday","message":"q"}',
      // Values whose text looks like another JSON type: SQL asks their JSON type before typing them.
      ev({ message: 'leading zero session', session: '000119061199', sensor: '0001e5177298' }),
      ev({ message: 'float sensor', sensor: 1.5, session: 12345678901234567 }),
      ev({ message: 'string ports', src_port: '8080', dst_port: '1.5', orig_port: 'x' }),
      ev({ message: 'fraction port', src_port: 80.5, dst_port: -1 }),
      ev({ message: 'boolean texts', username: 'true', password: 'false', input: '{not json', url: '[x' }),
      ev({ eventid: 'cowrie.direct-tcpip.data', message: 'numeric text data', data: '12' }),
      ev({ message: 'string duration', duration: '88.7', duration_ms: null }),
      ev({ eventid: 'cowrie.direct-tcpip.request', message: 'direct-tcp connection request to 1.2.3.4:80 from 5.6.7.8:99999999999', src_port: 9 }),
      ev({ eventid: 7 }),
      '{"eventid": "cowrie.login.failed", "timestamp": "2026-11-28T17:04:00.000000Z", "message": "spaced trailing",  }',
      '{"eventid": "cowrie.login.failed", "timestamp": "2026-11-28T17:04:00.000000Z", "message": "nested trailing", "k": [1,\t]}',
      // Past a 32-bit INTEGER: no port (and no crash of the appender).
      ev({ message: 'huge port', dst_port: 99999999999, src_port: -2147483649 }),
      // PostgreSQL's text cannot hold NUL: both stores keep Cowrie's escape of it.
      ev({ message: 'nul user', username: 'ro\u0000ot', input: '\u0000' }),
      // Times no sensor logs (corrupt or forged lines): malformed, on both paths.
      ev({ message: 'year 1', timestamp: '0001-01-01T00:00:00.000000Z' }),
      ev({ message: 'year 9999', timestamp: '9999-12-31T23:59:59.999999Z' }),
      ev({ message: 'hour 24', timestamp: '2026-11-28T24:00:00.000000Z' }),
      ev({ message: 'feb 29 2023', timestamp: '2023-02-29T00:00:00.000000Z' }),
      ev({ message: 'offset 99', timestamp: '2026-11-28T17:04:00.000000+99:99' }),
      ev({ message: 'last of 2099', timestamp: '2099-12-31T23:59:59.999999Z' }),
    ];
    const file = join(dir, 'cowrie.json');
    await writeFile(file, `${lines.join('\n')}\n`);
    const r = await bothPaths(dir, [file]);
    expect(r.passes).toBe(1);
    expect(r.bulk).toEqual(r.streamed);
    expect(r.bulkSummary.malformedLines).toEqual(r.streamedSummary.malformedLines);
    expect(r.bulkSummary.malformedLines.map((m) => m.line)).toEqual([16, 29, 30, 32, 33, 34, 35, 44, 45, 46, 49, 50, 51, 52, 53]);
    expect(r.bulkSummary.malformedLines.find((m) => m.line === 50)?.message).toBe(
      `Cannot parse "${file}" at line 50: timestamp "9999-12-31T23:59:59.999999Z" is outside 1970 to 2099: expected a time a sensor could have logged`,
    );
    expect(r.bulkSummary).toMatchObject({ lines: lines.length - 1, malformed: 15, inserted: r.streamedSummary.inserted, duplicates: 1 });
    const stored = r.bulk.map((row) => JSON.parse(row) as Record<string, unknown>);
    expect(stored.find((row) => String(row.raw).includes('huge port'))).toMatchObject({ dst_port: null, src_port: null });
    expect(stored.find((row) => String(row.raw).includes('nul user'))).toMatchObject({ username: 'ro\\x00ot', input: '\\x00' });
  });

  it('reads gzip, CRLF and unterminated files like the streaming path', async () => {
    const text = `${ev({ message: 'a' })}\n${ev({ message: 'b' })}\n`;
    await writeFile(join(dir, 'one.json.gz'), gzipSync(text));
    await writeFile(join(dir, 'crlf.json'), `${ev({ message: 'c' })}\r\n${ev({ message: 'd' })}\r\n`);
    await writeFile(join(dir, 'open.json'), `${ev({ message: 'e' })}\n${ev({ message: 'f' })}`);
    const paths = ['one.json.gz', 'crlf.json', 'open.json'].map((n) => join(dir, n));
    const r = await bothPaths(dir, paths);
    expect(r.bulk).toEqual(r.streamed);
    expect(r.bulk).toHaveLength(6);
  });

  it('checkpoints each file at its end, so a second run reads nothing', async () => {
    const file = join(dir, 'cowrie.json');
    await writeFile(file, `${ev({ message: 'a' })}\n\n${ev({ message: 'b' })}\n`);
    const store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
    try {
      expect(await ingestFiles(store, [file])).toMatchObject({ lines: 2, inserted: 2 });
      expect(await store.getCheckpoint(file)).toMatchObject({ offset: (ev({ message: 'a' }).length + 1) * 2 + 1, line: 3 });
      const again = await ingestFiles(store, [file]);
      expect(again).toMatchObject({ lines: 0, inserted: 0 });
      expect(again.files[0]?.resumedAfterLine).toBe(3);
    } finally {
      await store.close();
    }
  });
});

describe('bulkCandidate()', () => {
  it('leaves empty files and names DuckDB would expand as globs to the streaming path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-bulk-candidate-'));
    try {
      await writeFile(join(dir, 'empty.json'), '');
      await writeFile(join(dir, 'day[1].json'), `${ev({})}\n`);
      await writeFile(join(dir, 'day.json'), `${ev({})}\n`);
      expect(await bulkCandidate(join(dir, 'empty.json'), '', false)).toBeUndefined();
      expect(await bulkCandidate(join(dir, 'day[1].json'), 'h', false)).toBeUndefined();
      expect(await bulkCandidate(join(dir, 'day.json'), 'h', false)).toEqual({ file: join(dir, 'day.json'), head: 'h', gzip: false, expectBytes: ev({}).length + 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
