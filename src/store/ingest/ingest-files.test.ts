import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import type { Store } from '../store.js';
import { ingestFiles } from './ingest-files.js';

const KAREIVA = '/work/shared/fixtures/cowrie/kareiva-2018';
const COWRIE_3 = '/work/shared/fixtures/cowrie/cowrie-3.0.12';

async function fixtureLines(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    out.push(...(await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l.trim() !== ''));
  }
  return out;
}

describe('ingestFiles()', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-ingest-'));
    store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every line of the 14 kareiva days: zero lost, every event id kept', async () => {
    const lines = await fixtureLines(KAREIVA);
    const summary = await ingestFiles(store, [KAREIVA]);
    expect(summary.files).toHaveLength(14);
    expect(summary.malformed).toBe(0);
    expect(summary.lines).toBe(lines.length);
    expect(summary.inserted).toBe(lines.length);
    expect((await store.summary({})).events).toBe(lines.length);
    const expected = new Map<string, number>();
    for (const l of lines) {
      const id = (JSON.parse(l) as { eventid: string }).eventid;
      expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    const stored = new Map((await store.countByEventId({})).map((c) => [c.eventid, c.count]));
    expect(stored).toEqual(expected);
  });

  it('adds nothing when the same files are ingested again, also gzipped under another name', async () => {
    const day = join(KAREIVA, 'cowrie.json.2018-05-09');
    const first = await ingestFiles(store, [day]);
    expect(first.inserted).toBeGreaterThan(1000);
    const again = await ingestFiles(store, [day]);
    expect(again.inserted).toBe(0);
    const gz = join(dir, 'copy.json.gz');
    await writeFile(gz, gzipSync(await readFile(day)));
    const fromGz = await ingestFiles(store, [gz]);
    expect(fromGz).toMatchObject({ lines: first.lines, inserted: 0, duplicates: first.lines });
    expect((await store.summary({})).events).toBe(first.inserted);
  });

  it('resumes after a crash from the last checkpoint and ends with every event once', async () => {
    const day = join(dir, 'cowrie.json.2018-05-19');
    await copyFile(join(KAREIVA, 'cowrie.json.2018-05-19'), day);
    const total = (await fixtureLines(KAREIVA)).length;
    let batches = 0;
    const crash = ingestFiles(store, [day], {
      batchSize: 500,
      onProgress: () => {
        batches += 1;
        if (batches === 2) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const stored = (await store.summary({})).events;
    expect(stored).toBeGreaterThan(0);
    const resumed = await ingestFiles(store, [day]);
    expect(resumed.files[0]?.resumedAfterLine).toBeGreaterThan(0);
    expect(resumed.files[0]?.resumedAfterLine).toBe(stored);
    const dayLines = (await readFile(day, 'utf8')).split('\n').filter((l) => l !== '').length;
    expect(resumed.lines).toBe(dayLines - stored);
    expect((await store.summary({})).events).toBe(dayLines);
    expect(total).toBeGreaterThan(dayLines);
  });

  it('resumes a gzip file by skipping the checkpointed bytes', async () => {
    const gz = join(dir, 'cowrie.json.2018-05-18.gz');
    await writeFile(gz, gzipSync(await readFile(join(KAREIVA, 'cowrie.json.2018-05-18'))));
    let batches = 0;
    await expect(
      ingestFiles(store, [gz], {
        batchSize: 200,
        onProgress: () => {
          if (++batches === 1) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const resumed = await ingestFiles(store, [gz]);
    expect(resumed.files[0]?.resumedAfterLine).toBeGreaterThan(0);
    expect(resumed.duplicates).toBe(0);
    const dayLines = (await readFile(join(KAREIVA, 'cowrie.json.2018-05-18'), 'utf8')).split('\n').filter((l) => l !== '').length;
    expect((await store.summary({})).events).toBe(dayLines);
  });

  it('counts and reports malformed lines with file and line, and stores the rest', async () => {
    const file = join(dir, 'cowrie.json');
    const good = '{"eventid":"cowrie.session.connect","timestamp":"2026-11-28T17:04:00.000000Z","session":"a1","sensor":"s","message":"m"}';
    await writeFile(
      file,
      [good, '{"eventid": "cowrie.login.failed", "timestamp": ', '', '[1,2]', '{"eventid":"x.y","timestamp":"yesterday","message":"q"}', '{"eventid":"x.z"}', good.replace('a1', 'a2')].join('\n') + '\n',
    );
    const summary = await ingestFiles(store, [file]);
    expect(summary.malformedLines).toEqual([
      { file, line: 2, message: `Cannot parse "${file}" at line 2: expected one JSON object per line` },
      { file, line: 4, message: `Cannot parse "${file}" at line 4: expected one JSON object per line` },
      { file, line: 5, message: `Cannot parse "${file}" at line 5: cannot parse timestamp "yesterday": expected ISO 8601 like 2018-05-06T17:44:05.866769Z` },
      { file, line: 6, message: `Cannot parse "${file}" at line 6: expected an object with string "eventid" and "timestamp"` },
    ]);
    expect(summary).toMatchObject({ lines: 6, inserted: 2, malformed: 4 });
  });

  it('stores what a truncated or header-only gzip held and goes on with the next input', async () => {
    const day = join(KAREIVA, 'cowrie.json.2018-05-19');
    const whole = gzipSync(await readFile(day));
    await writeFile(join(dir, 'cowrie.json.2.gz'), whole.subarray(0, whole.length / 2));
    await writeFile(join(dir, 'cowrie.json.1.gz'), Buffer.from([0x1f, 0x8b]));
    await copyFile(join(KAREIVA, 'cowrie.json.2018-05-06'), join(dir, 'cowrie.json'));
    const unreadable: string[] = [];
    const summary = await ingestFiles(store, [dir], { onUnreadable: (m) => unreadable.push(m) });
    expect(summary.unreadable).toBe(2);
    expect(unreadable).toEqual([
      expect.stringMatching(new RegExp(`^Cannot read "${join(dir, 'cowrie.json.2.gz')}" after line \\d+: unexpected end of file$`)),
      `Cannot read "${join(dir, 'cowrie.json.1.gz')}": unexpected end of file`,
    ]);
    const half = summary.files[0]!;
    expect(half.inserted).toBeGreaterThan(500);
    const live = (await readFile(join(dir, 'cowrie.json'), 'utf8')).split('\n').filter((l) => l !== '').length;
    expect(summary.files[2]?.inserted).toBe(live);
    expect(summary.files[2]?.unreadable).toBeUndefined();
    expect((await store.summary({})).events).toBe(half.inserted + live);
    await expect(ingestFiles(store, [join(dir, 'cowrie.json.1.gz')], { strict: true })).rejects.toThrow('unexpected end of file');
  });

  it('skips a UTF-8 byte order mark before the first event', async () => {
    const line = '{"eventid":"cowrie.session.connect","timestamp":"2020-01-01T00:00:00.000000Z","session":"s1","message":"c"}';
    await writeFile(join(dir, 'bom.json'), `\ufeff${line}\n`);
    expect(await ingestFiles(store, [join(dir, 'bom.json')])).toMatchObject({ inserted: 1, malformed: 0 });
    const raws: string[] = [];
    for await (const raw of store.rawEvents({})) raws.push(raw);
    expect(raws).toEqual([line]);
  });

  it('stops at the first malformed line when strict', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"eventid":"a","timestamp":"2026-11-28T17:04:00Z","message":"m"}\nnot json\n');
    await expect(ingestFiles(store, [file], { strict: true })).rejects.toThrow(`Cannot parse "${file}" at line 2: expected one JSON object per line`);
  });

  it('reads standard input, gzip or plain, for the path "-"', async () => {
    const text = await readFile(join(COWRIE_3, 'capture.json'));
    async function* chunks(buf: Buffer): AsyncGenerator<Buffer> {
      for (let i = 0; i < buf.length; i += 1000) yield buf.subarray(i, i + 1000);
    }
    const plain = await ingestFiles(store, ['-'], { stdin: chunks(text) });
    const lines = text.toString('utf8').split('\n').filter((l) => l !== '').length;
    expect(plain).toMatchObject({ lines, inserted: lines, malformed: 0 });
    const gz = await ingestFiles(store, ['-'], { stdin: chunks(gzipSync(text)) });
    expect(gz).toMatchObject({ lines, inserted: 0, duplicates: lines });
    const bad = await ingestFiles(store, ['-'], { stdin: chunks(Buffer.from('{oops\n')) });
    expect(bad.malformedLines).toEqual([{ file: '-', line: 1, message: 'Cannot parse standard input at line 1: expected one JSON object per line' }]);
  });

  it('normalises eras: claimed originator, durations and decoded payload columns', async () => {
    await ingestFiles(store, [join(KAREIVA, 'cowrie.json.2018-05-09'), join(COWRIE_3, 'capture.json')]);
    const raw: Array<Record<string, unknown>> = [];
    for await (const r of store.rawEvents({})) raw.push(JSON.parse(r) as Record<string, unknown>);
    expect(raw.length).toBeGreaterThan(0);
    const http = await store.httpRequests({}, 100);
    expect(http.find((h) => h.host === 'google.com' && h.method === 'GET' && h.path === '/')).toBeDefined();
    expect(await store.smtpGreetings({}, 10)).toContainEqual(expect.objectContaining({ greeting: expect.any(String) }));
  });
});

describe('ingestFiles() on a growing or replaced log', () => {
  let dir: string;
  let file: string;
  let store: Store;
  const ev = (n: number): string => `{"eventid":"cowrie.command.input","timestamp":"2026-11-28T17:04:0${n}.000000Z","session":"s","message":"CMD ${n}"}\n`;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-grow-'));
    file = join(dir, 'cowrie.json');
    store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads only the new lines of a grown file, and all of a rewritten shorter one', async () => {
    await writeFile(file, ev(1) + ev(2));
    expect(await ingestFiles(store, [file])).toMatchObject({ lines: 2, inserted: 2 });
    await writeFile(file, ev(1) + ev(2) + ev(3));
    expect(await ingestFiles(store, [file])).toMatchObject({ lines: 1, inserted: 1 });
    await writeFile(file, ev(1) + ev(4));
    expect(await ingestFiles(store, [file])).toMatchObject({ lines: 2, inserted: 1, duplicates: 1 });
    expect((await store.summary({})).events).toBe(4);
  });

  it('reads a file again from the top when a line before its checkpoint was edited (a malformed line fixed)', async () => {
    await writeFile(file, ev(1) + 'garbage line {{{\n' + ev(2));
    expect(await ingestFiles(store, [file])).toMatchObject({ inserted: 2, malformed: 1 });
    await writeFile(file, ev(1) + ev(3) + ev(2));
    expect(await ingestFiles(store, [file])).toMatchObject({ lines: 3, inserted: 1, duplicates: 2, malformed: 0 });
    expect((await store.summary({})).events).toBe(3);
  });

  it("leaves a live log's unfinished last line for the next run instead of losing it as malformed", async () => {
    const third = ev(3);
    // The sensor is half-way through writing the third event, on both paths (bulk, and streaming batches).
    for (const options of [{}, { batchSize: 1 }]) {
      await store.close();
      await rm(join(dir, 'honeyscope.duckdb'), { force: true });
      store = await DuckDbStore.open(join(dir, 'honeyscope.duckdb'));
      await writeFile(file, ev(1) + ev(2) + third.slice(0, 40));
      expect(await ingestFiles(store, [file], options)).toMatchObject({ inserted: 2, malformed: 0, files: [{ unfinishedLine: 3 }] });
      await writeFile(file, ev(1) + ev(2) + third + ev(4));
      expect(await ingestFiles(store, [file], options)).toMatchObject({ lines: 2, inserted: 2, malformed: 0 });
      expect((await store.summary({})).events).toBe(4);
    }
    // A whole event without its newline is stored at once; gzip input is never still being written.
    await writeFile(join(dir, 'whole.json'), ev(5) + ev(6).trimEnd());
    expect(await ingestFiles(store, [join(dir, 'whole.json')])).toMatchObject({ inserted: 2, malformed: 0 });
    await writeFile(join(dir, 'old.json.gz'), gzipSync(ev(7) + third.slice(0, 40)));
    expect(await ingestFiles(store, [join(dir, 'old.json.gz')])).toMatchObject({ inserted: 1, malformed: 1 });
  });
});
