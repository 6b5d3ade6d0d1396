import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts/alert.js';
import { testAlert } from '../../alerts/test-alert.js';
import { loadConfig } from '../../config/load-config.js';
import { silentLogger } from '../../lib/logger.js';
import { createAlertLog } from '../alert-log.js';
import { createWebApp } from '../create-web-app.js';
import { QueryParamError } from '../query-params.js';
import { openFixtureStore, type FixtureStore } from '../testing/open-fixture-store.js';
import { alertRoutes } from './alerts.js';

const MARKUP = `<img src=x onerror="alert(1)">`;

const ALERTS: Alert[] = [
  testAlert({ id: 'a1', rule: { id: 'hs-intel-dns', level: 10, description: 'DNS request for an indicator domain', groups: ['intel'] } }),
  testAlert({
    id: 'a2',
    timestamp: '2026-11-28T17:04:00.000Z',
    rule: { id: 'hs-intel-flow', level: 6, description: `=HYPERLINK("http://x") ${MARKUP}`, groups: [] },
    kind: 'flow',
    src_ip: '203.0.113.9',
    src_port: 4444,
    dst_ip: '198.51.100.7',
    dst_port: 22,
    indicator: { seen: '198.51.100.7', type: 'Intel::ADDR', where: 'Conn::IN_RESP', indicators: ['198.51.100.0/24'], matched: ['Intel::ADDR'], sources: [MARKUP, 'feed,two'] },
    log: { file: 'conn.log', line: 12, record: MARKUP },
  }),
  testAlert({ id: 'a3', rule: { id: 'hs-clamav', level: 12, description: 'Infected file', groups: [] }, kind: 'file', indicator: undefined, log: { file: 'files.log', line: 3, record: 'x' } }),
];

let fx: FixtureStore;
let path: string;

function routes(): Hono {
  const app = new Hono();
  app.onError((err, c) => (err instanceof QueryParamError ? c.json({ error: err.message }, 400) : c.json({ error: 'Internal error' }, 500)));
  app.route('/api', alertRoutes(createAlertLog(path)));
  return app;
}

beforeAll(async () => {
  fx = await openFixtureStore({ ingest: [] });
  path = join(fx.dir, 'alerts', 'alerts.jsonl');
  await mkdir(join(fx.dir, 'alerts'));
  const [a1, a2, a3] = ALERTS.map((a) => JSON.stringify(a));
  await writeFile(path, `${a1}\n{"id": "half\n${a2}\n${MARKUP}\n${a3}\n`);
});

afterAll(async () => {
  await fx?.close();
});

describe('alertRoutes() GET /alerts', () => {
  it('answers the alerts newest first, skipping and counting malformed lines', async () => {
    const res = await routes().request('/api/alerts');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ alerts: [ALERTS[2], ALERTS[1], ALERTS[0]].map((a) => JSON.parse(JSON.stringify(a)) as unknown), malformed: 2, complete: true });
  });

  it('keeps the newest `limit` alerts of at least `level`', async () => {
    const body = (await (await routes().request('/api/alerts?limit=1&level=7')).json()) as { alerts: Alert[]; complete: boolean };
    expect(body.alerts.map((a) => a.id)).toEqual(['a3']);
    expect(body.complete).toBe(false);
    const levelled = (await (await routes().request('/api/alerts?level=7')).json()) as { alerts: Alert[] };
    expect(levelled.alerts.map((a) => a.id)).toEqual(['a3', 'a1']);
  });

  it('answers 400 for a bad limit or level', async () => {
    const res = await routes().request('/api/alerts?level=16');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid "level" value "16": expected an integer from 0 to 15' });
    expect((await routes().request('/api/alerts?limit=0')).status).toBe(400);
  });

  it('answers CSV with formula cells neutralised and markup left as text', async () => {
    const res = await routes().request('/api/alerts?format=csv&level=6');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="honeyscope-alerts.csv"');
    expect((await res.text()).split('\r\n')).toEqual([
      'time,level,rule_id,description,kind,src_ip,src_port,dst_ip,dst_port,indicator,indicator_type,sources,count,log_file,log_line',
      '2026-11-28T17:03:34.815Z,12,hs-clamav,Infected file,file,127.0.0.1,36596,,,,,,1,files.log,3',
      `2026-11-28T17:04:00.000Z,6,hs-intel-flow,"'=HYPERLINK(""http://x"") <img src=x onerror=""alert(1)"">",flow,203.0.113.9,4444,198.51.100.7,22,198.51.100.7,Intel::ADDR,"<img src=x onerror=""alert(1)""> feed,two",1,conn.log,12`,
      '2026-11-28T17:03:34.815Z,10,hs-intel-dns,DNS request for an indicator domain,dns,127.0.0.1,36596,,,bad.test,Intel::DOMAIN,"otx:""quoted""]",1,rpz.log,1',
      '',
    ]);
  });

  it('answers an empty list when there is no alert log', async () => {
    const app = new Hono().route('/api', alertRoutes(createAlertLog(join(fx.dir, 'none.jsonl'))));
    expect(await (await app.request('/api/alerts')).json()).toEqual({ alerts: [], malformed: 0, complete: true });
    expect(await (await app.request('/api/alerts/count')).json()).toEqual({ alerts: 0 });
  });
});

describe('alertRoutes() GET /alerts/count', () => {
  it('counts the lines of the alert log', async () => {
    expect(await (await routes().request('/api/alerts/count')).json()).toEqual({ alerts: 5 });
  });
});

describe('createWebApp() alerts', () => {
  it('reads the configured alert log behind the API authentication', async () => {
    const config = loadConfig({ overrides: { core: { dataDir: fx.dir }, web: { listen: '127.0.0.1:0', token: 'tok-1' } } });
    const app = createWebApp({ data: fx.data, config, logger: silentLogger(), staticDir: fx.dir });
    for (const p of ['/api/alerts', '/api/alerts?format=csv', '/api/alerts/count']) expect((await app.request(p)).status, p).toBe(401);
    const res = await app.request('/api/alerts?limit=2', { headers: { Authorization: 'Bearer tok-1' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { alerts: Alert[] }).alerts.map((a) => a.id)).toEqual(['a3', 'a2']);
  });
});
