import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.js';
import { testAlert } from '../alerts/test-alert.js';
import { createAlertLog } from './alert-log.js';

let dir: string;
let path: string;

function numbered(i: number, level = 10): Alert {
  return testAlert({ id: `a${i}`, rule: { id: 'r', level, description: `alert ${i} é✓`, groups: [] }, log: { file: 'dns.log', line: i, record: `record ${i}` } });
}

function lines(alerts: readonly Alert[]): string {
  return alerts.map((a) => `${JSON.stringify(a)}\n`).join('');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'honeyscope-alert-log-'));
  path = join(dir, 'alerts.jsonl');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createAlertLog().recent()', () => {
  it('returns an empty, complete list when the file does not exist', async () => {
    expect(await createAlertLog(path).recent({ limit: 10 })).toEqual({ alerts: [], malformed: 0, complete: true });
  });

  it('reads newest first across chunk boundaries, whatever the chunk size', async () => {
    const all = Array.from({ length: 30 }, (_, i) => numbered(i));
    await writeFile(path, lines(all));
    const newestFirst = all.map((a) => a.id).reverse();
    for (const chunkBytes of [3, 7, 64, 1000, 1 << 20]) {
      const log = createAlertLog(path, { chunkBytes });
      const every = await log.recent({ limit: 100 });
      expect(every.alerts.map((a) => a.id), `chunk ${chunkBytes}`).toEqual(newestFirst);
      expect(every.complete).toBe(true);
      expect(every.alerts[0]).toEqual(all[29]);
      const five = await log.recent({ limit: 5 });
      expect(five.alerts.map((a) => a.id)).toEqual(newestFirst.slice(0, 5));
      expect(five.complete).toBe(false);
    }
  });

  it('keeps alerts of at least the minimum level', async () => {
    await writeFile(path, lines([numbered(0, 3), numbered(1, 12), numbered(2, 5), numbered(3, 7)]));
    const result = await createAlertLog(path, { chunkBytes: 16 }).recent({ limit: 10, minLevel: 6 });
    expect(result.alerts.map((a) => a.id)).toEqual(['a3', 'a1']);
  });

  it('skips and counts bad JSON, wrong shapes and too long lines, and reads a last line without a newline', async () => {
    const bad = ['{"id":', '[1,2]', JSON.stringify({ ...numbered(9), rule: { level: 'high' } }), 'x'.repeat(3000), JSON.stringify({ ...numbered(8), kind: 'weird' })];
    await writeFile(path, `${lines([numbered(0)])}${bad[0]}\n\n${bad[1]}\n${lines([numbered(1)])}${bad[2]}\n${bad[3]}\n${bad[4]}\n${JSON.stringify(numbered(2))}`);
    for (const chunkBytes of [5, 64, 4096]) {
      const result = await createAlertLog(path, { chunkBytes, maxLineBytes: 1000 }).recent({ limit: 10 });
      expect(result.alerts.map((a) => a.id), `chunk ${chunkBytes}`).toEqual(['a2', 'a1', 'a0']);
      expect(result.malformed).toBe(5);
      expect(result.complete).toBe(true);
    }
  });

  it('counts a too long first line once', async () => {
    await writeFile(path, `${'y'.repeat(3000)}\n${lines([numbered(0)])}`);
    expect(await createAlertLog(path, { chunkBytes: 32, maxLineBytes: 1000 }).recent({ limit: 10 })).toMatchObject({ malformed: 1, complete: true });
  });
});

describe('createAlertLog().count()', () => {
  it('counts lines, then only the appended bytes, and starts over after a rotation', async () => {
    const log = createAlertLog(path);
    expect(await log.count()).toBe(0);
    await writeFile(path, lines([numbered(0), numbered(1)]));
    expect(await log.count()).toBe(2);
    await appendFile(path, lines([numbered(2)]));
    expect(await log.count()).toBe(3);
    expect(await log.count()).toBe(3);
    await rename(path, `${path}.1`);
    await writeFile(path, lines([numbered(3)]));
    expect(await log.count()).toBe(1);
  });
});
