import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import { openDuckDbIntelStore } from '../../store/intel/duckdb-intel-store.js';
import type { IntelItem } from '../indicator.js';
import type { IntelStore } from '../intel-store.js';
import { syncOtx } from './otx.js';
import { parseOtxTime } from './otx-pulse.js';

const FIXTURES = '/work/shared/fixtures/intel/otx';
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let requests: Array<{ path: string; query: Record<string, string>; key: string | undefined }>;
let dir: string;
let store: IntelStore;
let sleeps: number[];

beforeEach(async () => {
  requests = [];
  sleeps = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), key: req.headers['x-otx-api-key'] as string | undefined });
    handler(req, url, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'hs-otx-'));
  store = await openDuckDbIntelStore(join(dir, 'honeyscope.duckdb'));
});

afterEach(async () => {
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Page 1 is the Elastic mock (lowercase tlp) with its `next` moved to this server; page 2 the 2017 search response (uppercase TLP). */
function subscribed(url: URL, res: ServerResponse): void {
  if (url.searchParams.get('page') === '2') {
    json(res, { ...fixture('tipbot_search_pulses_2017.json'), next: null });
    return;
  }
  const page1 = fixture('elastic_pulses_subscribed_page1.json');
  const next = new URL(String(page1.next));
  json(res, { ...page1, next: `${base}${next.pathname}${next.search}` });
}

function options(extra: Partial<Parameters<typeof syncOtx>[1]> = {}): Parameters<typeof syncOtx>[1] {
  return { apiKey: 'k3y', baseUrl: base, backoffMs: 10, sleep: async (ms) => void sleeps.push(ms), now: () => Date.parse('2026-11-28T18:00:00Z'), ...extra };
}

async function all(): Promise<IntelItem[]> {
  const out: IntelItem[] = [];
  for await (const batch of store.itemBatches()) out.push(...batch);
  return out;
}

describe('syncOtx()', () => {
  it('syncOtx() follows next across pages, sends the key and keeps pulse metadata with either TLP key', async () => {
    handler = (_req, url, res) => subscribed(url, res);
    const result = await syncOtx(store, options());
    expect(result).toEqual({ pulses: 2, skippedPulses: 0, removedPulses: 0, records: 16, bad: [], modifiedSince: '2026-11-28T18:00:00' });
    expect(requests.map((r) => `${r.path}?${new URLSearchParams(r.query)}`)).toEqual([
      '/api/v1/pulses/subscribed?limit=50',
      '/api/v1/pulses/subscribed?limit=1&modified_since=2022-01-01T23%3A01%3A01Z&page=2',
    ]);
    expect(requests.every((r) => r.key === 'k3y')).toBe(true);
    const ip = (await store.lookup('172.67.177.165'))[0]!;
    expect(ip).toEqual({
      indicator: '172.67.177.165',
      type: 'ipv4',
      meta: [{
        source: 'otx', pulseId: '64e38336d783f91d6948a7b1', pulseName: 'Sample Pulse', author: 'SampleUser',
        url: 'https://otx.alienvault.com/pulse/64e38336d783f91d6948a7b1', tags: ['cisa', 'backdoor', 'whirlpool', 'malware'], tlp: 'white',
        firstSeen: Date.parse('2023-08-09T05:05:15Z'), lastSeen: Date.parse('2023-08-22T09:43:18.855Z'), expires: Date.parse('2023-09-05T00:00:00Z'), active: true,
      }],
    });
    const tipbot = (await store.lookup('dnsupdater.com'))[0]!.meta[0]!;
    expect([tipbot.tlp, tipbot.author, tipbot.pulseId]).toEqual(['white', 'AlienVault', '59e76c453bd1b0125321fb06']);
    expect(await store.getState('otx.modifiedSince')).toBe('2026-11-28T18:00:00');
  });

  it('syncOtx() syncs incrementally with modified_since and drops pulses /pulses/events reports deleted', async () => {
    handler = (_req, url, res) => subscribed(url, res);
    await syncOtx(store, options());
    requests = [];
    const updated = structuredClone(fixture('elastic_pulses_subscribed_page1.json')) as { results: Array<{ indicators: unknown[]; modified: string }> };
    updated.results[0]!.indicators = updated.results[0]!.indicators.slice(2);
    updated.results[0]!.modified = '2026-11-28T18:30:00.000000';
    handler = (_req, url, res) => {
      if (url.pathname === '/api/v1/pulses/events') {
        json(res, { results: [{ action: 'delete', object_type: 'pulse', object_id: '59e76c453bd1b0125321fb06', created: '2026-11-28T18:10:00' }], next: null });
      } else {
        json(res, { ...updated, next: null });
      }
    };
    const result = await syncOtx(store, options({ now: () => Date.parse('2026-11-28T19:00:00Z') }));
    expect(requests.map((r) => [r.path, r.query.modified_since ?? r.query.since])).toEqual([
      ['/api/v1/pulses/subscribed', '2026-11-28T18:00:00'],
      ['/api/v1/pulses/events', '2026-11-28T18:00:00'],
    ]);
    expect(result).toMatchObject({ pulses: 1, removedPulses: 1, records: 2, modifiedSince: '2026-11-28T19:00:00' });
    expect((await all()).map((i) => i.indicator)).toEqual(['pinup-casino-tr.site', '172.67.177.165']);
  });

  it('syncOtx() retries a 429 after the Retry-After time and then succeeds', async () => {
    let calls = 0;
    handler = (_req, url, res) => {
      calls += 1;
      if (calls === 1) json(res, { detail: 'Request was throttled.' }, 429, { 'retry-after': '2' });
      else if (calls === 2) json(res, 'Bad gateway', 502);
      else json(res, { ...fixture('elastic_pulses_subscribed_page1.json'), next: null });
    };
    const result = await syncOtx(store, options());
    expect(sleeps).toEqual([2000, 20]);
    expect(result.records).toBe(4);
  });

  it('syncOtx() gives up on a lasting 500 with a clear error and changes nothing', async () => {
    handler = (_req, url, res) => subscribed(url, res);
    await syncOtx(store, options());
    const before = await all();
    handler = (_req, _url, res) => json(res, 'Internal Server Error', 500);
    await expect(syncOtx(store, options({ retries: 2 }))).rejects.toThrow(
      new HoneyscopeError('HS_OTX', 'OTX answered HTTP 500 for /api/v1/pulses/subscribed?limit=50&modified_since=2026-11-28T18%3A00%3A00 after 3 attempts'),
    );
    expect(sleeps).toEqual([10, 20]);
    expect(await all()).toEqual(before);
    expect(await store.getState('otx.modifiedSince')).toBe('2026-11-28T18:00:00');
  });

  it('syncOtx() reports a refused key (403) without retrying', async () => {
    handler = (_req, _url, res) => json(res, { detail: 'Authentication credentials were not provided.' }, 403);
    const err = await syncOtx(store, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HoneyscopeError);
    expect((err as HoneyscopeError).code).toBe('HS_OTX');
    expect((err as HoneyscopeError).message).toBe('OTX refused the API key (HTTP 403) for /api/v1/pulses/subscribed?limit=50: check intel.otxKey or HONEYSCOPE_INTEL_OTX_KEY');
    expect(requests).toHaveLength(1);
  });

  it('syncOtx() rejects malformed JSON and a next link to another host', async () => {
    handler = (_req, _url, res) => json(res, '{"results": [', 200);
    await expect(syncOtx(store, options())).rejects.toThrow(/^Cannot parse OTX response from \/api\/v1\/pulses\/subscribed\?limit=50: /);
    handler = (_req, _url, res) => json(res, fixture('elastic_pulses_subscribed_page1.json'));
    await expect(syncOtx(store, options())).rejects.toThrow(
      `Cannot follow OTX "next" to https://otx.alienvault.com: expected ${base}, the configured base URL`,
    );
    expect(await all()).toEqual([]);
  });

  it('syncOtx() applies author, pulse id, tag and TLP filters', async () => {
    handler = (_req, url, res) => subscribed(url, res);
    expect((await syncOtx(store, options({ filters: { authors: ['alienvault'] } }))).pulses).toBe(1);
    expect((await all()).every((i) => i.meta.every((m) => m.author === 'AlienVault'))).toBe(true);
    expect((await syncOtx(store, options({ modifiedSince: '', filters: { pulseIds: ['64e38336d783f91d6948a7b1'], tlp: ['white'] } }))).pulses).toBe(1);
    expect((await all()).every((i) => i.meta.every((m) => m.author === 'SampleUser'))).toBe(true);
    expect((await syncOtx(store, options({ modifiedSince: '', filters: { tags: ['nothing-like-this'] } }))).skippedPulses).toBe(2);
    expect(await all()).toEqual([]);
  });

  it('syncOtx() reports bad indicator values with the pulse and indicator id and keeps the rest', async () => {
    const page = structuredClone(fixture('elastic_pulses_subscribed_page1.json')) as { results: Array<{ indicators: Array<Record<string, unknown>> }> };
    page.results[0]!.indicators.push({ id: 42, indicator: 'evil.test\n@ IN NS x.', type: 'hostname', created: '2023-08-09T05:05:15' });
    handler = (_req, _url, res) => json(res, { ...page, next: null });
    const result = await syncOtx(store, options());
    expect(result.records).toBe(4);
    expect(result.bad).toEqual([{
      source: 'otx', location: 'otx pulse 64e38336d783f91d6948a7b1 indicator 42', value: 'evil.test\n@ IN NS x.',
      reason: 'Invalid domain "evil.test\\n@ IN NS x.": expected letters, digits, hyphens, underscores and dots only',
    }]);
  });

  it('syncOtx() refuses to run without a key', async () => {
    await expect(syncOtx(store, options({ apiKey: '' }))).rejects.toThrow('Cannot use OTX without an API key: set intel.otxKey or HONEYSCOPE_INTEL_OTX_KEY');
  });
});

describe('parseOtxTime()', () => {
  it('parseOtxTime() reads zone-less OTX times as UTC', () => {
    expect(parseOtxTime('2023-08-22T09:43:18.855000')).toBe(Date.parse('2023-08-22T09:43:18.855Z'));
    expect(parseOtxTime('2023-08-09T05:05:15')).toBe(Date.parse('2023-08-09T05:05:15Z'));
    expect(parseOtxTime('2023-08-09T05:05:15+02:00')).toBe(Date.parse('2023-08-09T03:05:15Z'));
    expect(parseOtxTime(null)).toBeUndefined();
    expect(parseOtxTime('yesterday')).toBeUndefined();
  });
});
