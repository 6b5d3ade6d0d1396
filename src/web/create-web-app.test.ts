import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../lib/logger.js';
import { createWebApp } from './create-web-app.js';
import type { SessionDetail, TreeNode } from './dashboard-data.js';
import { hashPassword } from './password-hash.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { KAREIVA_2018, openFixtureStore, type FixtureStore } from './testing/open-fixture-store.js';

let fx: FixtureStore;
let staticDir: string;
/** Counted straight from the fixture files, not through the store. */
const expected = { events: 0, attempts: 0, byDay: new Map<string, number>() };

function app(web: Record<string, unknown> = {}) {
  const config = loadConfig({ overrides: { core: { dataDir: fx.dir }, web: { listen: '127.0.0.1:0', ...web } } });
  return createWebApp({ data: fx.data, config, logger: silentLogger(), staticDir });
}

async function json<T>(path: string): Promise<T> {
  const res = await app().request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  for (const file of (await readdir(KAREIVA_2018)).sort()) {
    for (const line of (await readFile(join(KAREIVA_2018, file), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const e = JSON.parse(line) as { eventid: string; timestamp: string };
      expected.events += 1;
      if (e.eventid === 'cowrie.direct-tcpip.request') {
        expected.attempts += 1;
        const day = e.timestamp.slice(0, 10);
        expected.byDay.set(day, (expected.byDay.get(day) ?? 0) + 1);
      }
    }
  }
  fx = await openFixtureStore();
  staticDir = join(fx.dir, 'static');
  await mkdir(staticDir);
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
});

afterAll(async () => {
  await fx?.close();
});

describe('createWebApp() security', () => {
  it('sets the CSP and security headers on API, static and not-found responses', async () => {
    for (const path of ['/api/overview', '/', '/nowhere', '/api/nowhere']) {
      const res = await app().request(path);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('answers 401 on every API route without the token, and serves the static UI', async () => {
    const guarded = app({ token: 'tok-123' });
    for (const path of ['/api/overview', '/api/outbound/tree', '/api/sessions', '/api/events/stream', '/api/credentials?format=csv']) {
      const res = await guarded.request(path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({ error: 'Authentication required: send Authorization: Bearer <token> or Basic <user:password>' });
    }
    expect((await guarded.request('/api/overview', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await guarded.request('/api/overview', { headers: { Authorization: 'Bearer tok-123' } })).status).toBe(200);
    expect((await guarded.request('/')).status).toBe(200);
  });

  it('accepts Basic credentials checked against a scrypt hash', async () => {
    const guarded = app({ users: { alice: await hashPassword('wonder land') } });
    const basic = (s: string) => ({ headers: { Authorization: `Basic ${Buffer.from(s).toString('base64')}` } });
    expect((await guarded.request('/api/overview', basic('alice:wonder land'))).status).toBe(200);
    expect((await guarded.request('/api/overview', basic('alice:wonder'))).status).toBe(401);
    expect((await guarded.request('/api/overview', basic('bob:wonder land'))).status).toBe(401);
  });
});

describe('createWebApp() routes', () => {
  it('GET /api/overview counts what the fixture files hold', async () => {
    const o = await json<{ events: number; attempts: number; outboundSources: number; firstEvent: string; lastEvent: string }>('/api/overview');
    expect(o.events).toBe(expected.events);
    expect(o.attempts).toBe(expected.attempts);
    expect(o.firstEvent).toBe('2018-05-06T17:44:05.866Z');
    expect(o.lastEvent).toBe('2018-05-19T23:54:31.259Z');
  });

  it('GET /api/rates sums to the attempts of its window, per source too', async () => {
    const r = await json<{ step: string; total: { t: string; attempts: number }[]; bySource: { source: string; points: { attempts: number }[] }[] }>(
      '/api/rates?view=day&end=2018-05-10T00:00:00Z',
    );
    expect(r.step).toBe('minute');
    expect(r.total).toHaveLength(1440);
    const sum = r.total.reduce((a, p) => a + p.attempts, 0);
    expect(sum).toBe(expected.byDay.get('2018-05-09'));
    const perSource = r.bySource.reduce((a, s) => a + s.points.reduce((b, p) => b + p.attempts, 0), 0);
    expect(perSource).toBe(sum);
    expect(r.bySource.at(-1)?.source).toBe('other');
  });

  it('GET /api/rates?format=csv has one column per source', async () => {
    const res = await app().request('/api/rates?view=month&end=2018-05-20T00:00:00Z&sources=2&format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="honeyscope-rates-month.csv"');
    const [header, ...lines] = (await res.text()).trim().split('\r\n');
    expect(header).toBe('time,attempts,195.3.147.49,193.201.224.206,other');
    expect(lines).toHaveLength(744);
  });

  it('GET /api/outbound/tree keeps top N per level, sums the rest in "other", and the values add up', async () => {
    const tree = await json<TreeNode>('/api/outbound/tree?top=2');
    expect(tree.value).toBe(expected.attempts);
    expect(tree.children?.map((c) => c.name)).toEqual(['195.3.147.49', '193.201.224.206', 'other']);
    function check(node: TreeNode): void {
      if (!node.children) return;
      expect(node.children.reduce((a, c) => a + c.value, 0)).toBe(node.value);
      expect(node.children.filter((c) => !c.other).length).toBeLessThanOrEqual(2);
      node.children.forEach(check);
    }
    check(tree);
    const port80 = await json<TreeNode>('/api/outbound/tree?top=50&port=443');
    expect(port80.value).toBe(0);
  });

  it('GET /api/outbound/graph needs a day and keeps edges over the threshold', async () => {
    const bad = await app().request('/api/outbound/graph');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Missing "day": expected a day as YYYY-MM-DD' });
    const g = await json<{ edges: { source: string; target: string; weight: number }[] }>('/api/outbound/graph?day=2018-05-09&min=5');
    expect(g.edges.length).toBeGreaterThan(0);
    expect(g.edges.every((e) => e.weight >= 5)).toBe(true);
    const fromSources = g.edges.filter((e) => e.target.startsWith('port ')).reduce((a, e) => a + e.weight, 0);
    expect(fromSources).toBeLessThanOrEqual(expected.byDay.get('2018-05-09') ?? 0);
    const days = await json<string[]>('/api/outbound/days');
    expect(days).toEqual([...expected.byDay.keys()].sort().reverse());
  });

  it('GET /api/payloads/http lists requests with headers in order', async () => {
    const rows = await json<{ method: string; host: string; headers: [string, string][]; count: number; category: string }[]>('/api/payloads/http');
    expect(rows[0]).toMatchObject({ method: 'GET', host: 'yahoo.com', headers: [['Host', 'yahoo.com']], count: 346 });
  });

  it('GET /api/sessions searches by username and GET /api/sessions/:id shows its credentials', async () => {
    const found = await json<{ session: string; loggedIn: boolean }[]>('/api/sessions?q=7ujMko0admin&limit=5');
    expect(found.length).toBeGreaterThan(0);
    const first = found[0];
    if (!first) throw new Error('no session found');
    const detail = await json<SessionDetail & { recording: boolean }>(`/api/sessions/${first.session}`);
    expect(detail.credentials.some((c) => c.password === '7ujMko0admin')).toBe(true);
    expect(detail.recording).toBe(false);
    const missing = await app().request('/api/sessions/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Session "nope" not found' });
  });

  it('GET /api/sessions/:id/recording serves DATA/tty/<name> and nothing outside it', async () => {
    await mkdir(join(fx.dir, 'tty'), { recursive: true });
    const cast = '{"version": 2, "width": 80, "height": 24}\n[0.5, "o", "$ uname -a\\r\\n"]\n';
    await writeFile(join(fx.dir, 'tty', 'abc123'), cast);
    const base = { sensor: 'test', timestamp: '2018-05-20T10:00:00.000000Z', src_ip: '198.51.100.7' };
    await fx.add([
      { ...base, eventid: 'cowrie.log.closed', session: 'rec-1', ttylog: 'var/lib/cowrie/tty/abc123', message: 'Closing TTY Log' },
      { ...base, eventid: 'cowrie.log.closed', session: 'rec-2', ttylog: '../../../../etc/passwd', message: 'Closing TTY Log' },
    ]);
    const res = await app().request('/api/sessions/rec-1/recording');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(cast);
    const outside = await app().request('/api/sessions/rec-2/recording');
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: 'No recording for session "rec-2"' });
  });

  it('GET /api/credentials?format=csv neutralises formula cells', async () => {
    await fx.add([
      { eventid: 'cowrie.login.failed', sensor: 'test', session: 'csv-1', src_ip: '198.51.100.8', timestamp: '2018-05-20T11:00:00.000000Z', username: '=cmd|" /c calc"!A1', password: '@SUM(1)', message: 'login attempt' },
    ]);
    const text = await (await app().request('/api/credentials?format=csv&limit=10000')).text();
    expect(text.split('\r\n')[0]).toBe('username,password,attempts,successes');
    expect(text).toContain(`"'=cmd|"" /c calc""!A1",'@SUM(1),1,0`);
  });

  it('rejects a bad parameter with 400 and the reason', async () => {
    const res = await app().request('/api/outbound/tree?top=0');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid "top" value "0": expected an integer from 1 to 500' });
    const time = await app().request('/api/overview?since=yesterday');
    expect(await time.json()).toEqual({ error: 'Invalid "since" value "yesterday": expected an ISO 8601 time or epoch milliseconds' });
    // Date.parse reads these as other moments (June 5th, 2001, March 2nd); the API must not.
    for (const [path, name, value] of [
      ['/api/overview?since=2018-05-10%20junk', 'since', '2018-05-10 junk'],
      ['/api/overview?until=-1', 'until', '-1'],
      ['/api/overview?since=2018-02-30', 'since', '2018-02-30'],
    ]) {
      const res = await app().request(path!);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({ error: `Invalid "${name}" value "${value}": expected an ISO 8601 time or epoch milliseconds` });
    }
    const day = await app().request('/api/outbound/graph?day=2018-02-30');
    expect(day.status).toBe(400);
  });
});
