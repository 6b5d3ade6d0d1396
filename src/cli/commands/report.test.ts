import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../analysis/build-report.js';
import { main } from '../main.js';

const FIXTURE = '/work/shared/fixtures/cowrie/kareiva-2018';

/** Runs the CLI in this process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(['node', 'honeyscope', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(''), err: err.join(''), code };
}

describe('honeyscope ingest and report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hs-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ingest stores the kareiva days, and a second run adds nothing', async () => {
    const first = await cli('ingest', '--data', dir, FIXTURE);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Read 16091 events from 14 input\(s\) in [\d.]+ s \(\d+ events\/s\): 16091 new, 0 already stored, 0 malformed\nBrought the report rollups up to date in [\d.]+ s\n$/);
    const second = await cli('ingest', '--data', dir, join(FIXTURE, 'cowrie.json.2018-05-06'));
    expect(second.out).toMatch(/: 0 new, 0 already stored, 0 malformed\n$/);
  });

  it('report --json has the documented keys, --html writes the page', async () => {
    const html = join(dir, 'report.html');
    const r = await cli('report', '--data', dir, '--json', '--html', html, '--limit', '5');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.events).toBe(16091);
    expect(report.sessions).toBe(3716);
    expect(report.outbound.attempts).toBe(1065);
    expect(report.outbound.byOriginIp[0]).toEqual({ ip: '195.3.147.49', attempts: expect.any(Number), sessions: expect.any(Number) });
    expect(Object.keys(report.outbound.byPort[0] ?? {})).toEqual(['port', 'attempts']);
    expect(Object.keys(report.outbound.byDestination[0] ?? {})).toEqual(['ip', 'port', 'attempts']);
    expect(Object.keys(report.outbound.peakPerMinute ?? {})).toEqual(['minute', 'attempts']);
    expect(report.smtp.ehlo).toEqual([]);
    expect(report.tls.sni).toEqual([]);
    expect(report.http.requests[0]).toMatchObject({ method: 'GET', path: '/', category: 'search-engine-check' });
    expect(Object.keys(report.http.requests[0] ?? {}).slice(0, 5)).toEqual(['method', 'host', 'path', 'category', 'count']);
    const page = await readFile(html, 'utf8');
    expect(page.match(/<svg /g)).toHaveLength(3);
  });

  it('report --since/--until narrows the range and a bad time is a usage error', async () => {
    const r = await cli('report', '--data', dir, '--json', '--since', '2018-05-09', '--until', '2018-05-10');
    const report = JSON.parse(r.out) as { events: number; outbound: { attempts: number } };
    expect(report.events).toBeGreaterThan(0);
    expect(report.events).toBeLessThan(16091);
    const junk = await cli('report', '--data', dir, '--since', '2018-05-10 junk');
    expect(junk.err).toBe(
      'honeyscope: Invalid --since: Cannot parse time "2018-05-10 junk": expected an ISO date or time (2018-05-09, 2018-05-09T20:14Z) or a duration (90m, 24h, 7d, 2w)\n',
    );
    const bad = await cli('report', '--data', dir, '--since', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'honeyscope: Invalid --since: Cannot parse time "soon": expected an ISO date or time (2018-05-09, 2018-05-09T20:14Z) or a duration (90m, 24h, 7d, 2w)\n',
    );
  });

  it('ingest reports a malformed line with file and line, stores the rest, and exits 1', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"eventid":"cowrie.session.connect","timestamp":"2026-11-28T17:04:00.000000Z","message":"x"}\n{oops\n');
    const r = await cli('ingest', '--data', dir, file);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`honeyscope: Cannot parse "${file}" at line 2: expected one JSON object per line\n`);
    expect(r.out).toMatch(/: 1 new, 0 already stored, 1 malformed\nBrought the report rollups up to date in [\d.]+ s\n$/);
    const other = join(dir, 'broken-too.json');
    await writeFile(other, '{oops\n');
    const strict = await cli('ingest', '--data', dir, '--strict', other);
    expect(strict.code).toBe(2);
    expect(strict.err).toBe(`honeyscope: Cannot parse "${other}" at line 1: expected one JSON object per line\n`);
  });

  it('names the user\'s path and what is wrong, with no stack, for inputs and outputs it cannot use', async () => {
    const empty = join(dir, 'no-logs');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'x');
    expect(await cli('ingest', '--data', dir, empty)).toMatchObject({
      code: 2,
      err: `honeyscope: No Cowrie JSON log in the directory "${empty}": expected names like cowrie.json, cowrie.json.1 or cowrie.json.2018-05-06.gz\n`,
    });
    const file = join(empty, 'notes.txt');
    expect(await cli('ingest', '--data', join(file, 'sub'), FIXTURE)).toMatchObject({
      code: 2,
      err: `honeyscope: Cannot create the data directory "${join(file, 'sub')}": a part of the path is not a directory\n`,
    });
    expect(await cli('report', '--data', dir, '--html', join(dir, 'missing', 'r.html'))).toMatchObject({
      code: 2,
      err: `honeyscope: Cannot write "${join(dir, 'missing', 'r.html')}": no such file or directory\n`,
    });
    expect(await cli('report', '--data', join(dir, 'typo'))).toMatchObject({
      code: 2,
      err: `honeyscope: No store in "${join(dir, 'typo')}": expected ${join(dir, 'typo', 'honeyscope.duckdb')} (honeyscope ingest or honeyscope run make it), or --store postgres://...\n`,
    });
    expect((await cli('report', '--data', dir, '--day', '2018-05-33')).err).toBe('honeyscope: Invalid --day "2018-05-33": expected a day as YYYY-MM-DD\n');
    expect((await cli('report', '--data', dir, '--since', '2018-05-12', '--until', '2018-05-10')).err).toBe(
      'honeyscope: Invalid --since "2018-05-12": it is not before --until "2018-05-10"\n',
    );
  });
});
