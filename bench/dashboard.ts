// Dashboard responsiveness: first meaningful paint of the overview and outbound pages, and tree-map drill-down,
// in Debian's Chromium over a DuckDB store holding BENCH_EVENTS generated events (default 1,000,000; the target
// is at 10,000,000: `BENCH_EVENTS=10000000 npm run bench -- dashboard`). Also the API latencies behind them.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/lib/logger.js';
import { openStore } from '../src/store/open-store.js';
import { loadOutboundRules } from '../src/analysis/outbound-rules.js';
import { rateQuery } from '../src/web/routes/overview.js';
import { createSqlDashboardData } from '../src/web/sql-dashboard-data.js';
import { openSqlRunner, startDashboard } from '../src/web/start-dashboard.js';
import { launchBrowser, treemapChildCenter, treemapViewRoot, waitChartIdle } from '../test/helpers/browser.js';

const YEAR_US = 365 * 86_400_000_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * N events over one year ending 2026-01-01: 5 % session connects, 25 % outbound attempts from a skewed set of 5,000 sources to 20,000
 * destinations on a few ports, 50 % failed logins, 20 % commands; 20 events per session. Generated inside DuckDB.
 */
export function generateSql(n: number): string {
  const t0 = Date.parse('2025-01-01T00:00:00Z') * 1000;
  const u = (salt: number) => `((hash(i * ${salt} + ${salt}) % 1000000) / 1000000.0)`;
  return `INSERT INTO events (id, ts, eventid, session, sensor, src_ip, src_port, dst_ip, dst_port, username, password, input, raw)
    SELECT uuid(), ts, eventid, session, 'bench', src_ip, 40000, dst_ip, dst_port, username, password, input,
      CAST(json_object('eventid', eventid, 'timestamp', strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ'), 'session', session, 'src_ip', src_ip,
        'sensor', 'bench', 'dst_ip', dst_ip, 'dst_port', dst_port, 'username', username, 'password', password, 'input', input, 'message', eventid) AS VARCHAR)
    FROM (
      SELECT i,
        make_timestamp(CAST(${t0} + i * ${YEAR_US / n} AS BIGINT)) AS ts,
        CASE WHEN i % 20 = 0 THEN 'cowrie.session.connect' WHEN i % 10 < 3 THEN 'cowrie.direct-tcpip.request' WHEN i % 10 < 8 THEN 'cowrie.login.failed' ELSE 'cowrie.command.input' END AS eventid,
        'b' || CAST(i // 20 AS VARCHAR) AS session,
        '10.' || CAST(CAST(pow(${u(3)}, 3) * 5000 AS INT) // 256 AS VARCHAR) || '.' || CAST(CAST(pow(${u(3)}, 3) * 5000 AS INT) % 256 AS VARCHAR) || '.1' AS src_ip,
        CASE WHEN i % 10 < 3 THEN '172.16.' || CAST(CAST(pow(${u(5)}, 2) * 20000 AS INT) // 256 AS VARCHAR) || '.' || CAST(CAST(pow(${u(5)}, 2) * 20000 AS INT) % 256 AS VARCHAR) END AS dst_ip,
        CASE WHEN i % 10 < 3 THEN (CASE WHEN ${u(7)} < 0.6 THEN 80 WHEN ${u(7)} < 0.8 THEN 25 WHEN ${u(7)} < 0.9 THEN 443 ELSE 8080 + CAST(${u(11)} * 20 AS INT) END) END AS dst_port,
        CASE WHEN i % 10 BETWEEN 3 AND 7 THEN 'user' || CAST(hash(i) % 50 AS VARCHAR) END AS username,
        CASE WHEN i % 10 BETWEEN 3 AND 7 THEN 'pass' || CAST(hash(i + 1) % 500 AS VARCHAR) END AS password,
        CASE WHEN i % 10 >= 8 THEN 'cmd ' || CAST(hash(i) % 200 AS VARCHAR) END AS input
      FROM range(${n}) r(i)
    )`;
}

export async function run(): Promise<Record<string, unknown>> {
  const n = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'honeyscope-bench-dashboard-'));
  const config = loadConfig({ overrides: { core: { dataDir: dir, logLevel: 'silent' }, web: { listen: '127.0.0.1:0' } } });
  const sql = await openSqlRunner(config);
  const store = await openStore(config);
  const genStart = performance.now();
  await sql.all(generateSql(n));
  const generateSeconds = (performance.now() - genStart) / 1000;
  // The queries themselves, uncached, as the first visitor after a restart would wait for them.
  const direct = createSqlDashboardData({ store, sql, rules: await loadOutboundRules() });
  const uncachedMs: Record<string, number> = {};
  for (const [name, query] of [
    ['overview', () => direct.overview({})],
    ['rates_day', async () => direct.rates(rateQuery('day', (await direct.lastEventTime({})) ?? new Date(), {}, 5))],
    ['rates_year', async () => direct.rates(rateQuery('year', (await direct.lastEventTime({})) ?? new Date(), {}, 5))],
    ['tree', () => direct.tree({ top: 20 })],
    ['sessions', () => direct.sessions({ limit: 100, offset: 0 })],
  ] as const) {
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      await query();
      times.push(performance.now() - t);
    }
    uncachedMs[name] = round(median(times));
  }
  const server = await startDashboard({ config, logger: silentLogger(), store, sql });
  const browser = await launchBrowser();
  try {
    const apiMs: Record<string, number> = {};
    const overview = (await (await fetch(`${server.url}/api/overview`)).json()) as { lastEvent: string; events: number };
    for (const [name, path] of [
      ['overview', 'overview'],
      ['rates_day', `rates?view=day&end=${overview.lastEvent}`],
      ['rates_year', `rates?view=year&end=${overview.lastEvent}`],
      ['tree', 'outbound/tree'],
      ['link_graph', 'outbound/graph?day=2025-06-01'],
      ['sessions', 'sessions'],
    ] as const) {
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/api/${path}`);
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
      apiMs[name] = round(median(times));
    }

    const paint: Record<string, number[]> = { overview: [], overviewAll: [], outbound: [], outboundAll: [] };
    const drill: number[] = [];
    const drillSettled: number[] = [];
    for (let k = 0; k < 3; k++) {
      const tp = await browser.newPage();
      const page = tp.page;
      for (const [name, hash] of [['overview', '#/'], ['outbound', '#/outbound']] as const) {
        await page.goto(`${server.url}/${hash}`);
        await page.waitForSelector(`body[data-ready="${name}"]`, { timeout: 120_000 });
        // From navigation start to the first meaningful paint (counters and rate graph drawn; the tree map drawn),
        // and to everything on the page loaded (feed backlog; link graph and payload tables).
        paint[name]?.push(await page.evaluate((mark) => performance.getEntriesByName(mark).at(-1)?.startTime ?? Number.NaN, `honeyscope:paint:${name}`));
        paint[`${name}All`]?.push(await page.evaluate((mark) => performance.getEntriesByName(mark).at(-1)?.startTime ?? Number.NaN, `honeyscope:ready:${name}`));
        if (name === 'overview') await page.goto('about:blank');
      }
      await page.locator('#treemap').scrollIntoViewIfNeeded();
      await waitChartIdle(page, 'treemap');
      const root = await page.evaluate(() => {
        const chart = window.__charts?.treemap as unknown as { getModel(): { getSeriesByIndex(i: number): { getViewRoot(): { children: { name: string }[] } } } };
        return chart.getModel().getSeriesByIndex(0).getViewRoot().children[0]?.name ?? '';
      });
      const at = await treemapChildCenter(page, root);
      if (!at) throw new Error(`No tree-map node "${root}"`);
      await page.mouse.move(at.x, at.y);
      // Time from the click to the first frame drawn with the new root, and to the end of the zoom transition.
      const started = await page.evaluate((target) => {
        const chart = window.__charts?.treemap as unknown as {
          on(event: string, fn: () => void): void;
          getModel(): { getSeriesByIndex(i: number): { getViewRoot(): { name: string } } };
        };
        const w = window as unknown as { __drill: { start: number; rendered: number; finished: number } };
        w.__drill = { start: 0, rendered: 0, finished: 0 };
        // No named helpers in here: tsx would wrap them in a __name() call the page does not have.
        chart.on('rendered', () => {
          if (w.__drill.start && !w.__drill.rendered && chart.getModel().getSeriesByIndex(0).getViewRoot().name === target) w.__drill.rendered = performance.now();
        });
        chart.on('finished', () => {
          if (w.__drill.start && !w.__drill.finished && chart.getModel().getSeriesByIndex(0).getViewRoot().name === target) w.__drill.finished = performance.now();
        });
        // ECharts acts on the click, which follows mouseup.
        window.addEventListener('mouseup', () => (w.__drill.start = performance.now()), { capture: true, once: true });
        return true;
      }, root);
      if (!started) throw new Error('Cannot hook the tree map');
      await page.mouse.down();
      await page.mouse.up();
      await page.waitForFunction(() => (window as unknown as { __drill: { finished: number } }).__drill.finished > 0, undefined, { timeout: 30_000 });
      if ((await treemapViewRoot(page)) !== root) throw new Error(`Drill-down did not reach "${root}"`);
      const times = await page.evaluate(() => (window as unknown as { __drill: { start: number; rendered: number; finished: number } }).__drill);
      drill.push(times.rendered - times.start);
      drillSettled.push(times.finished - times.start);
      await page.close();
    }
    return {
      events: overview.events,
      generateSeconds: round(generateSeconds),
      firstMeaningfulPaintMs: Object.fromEntries(Object.entries(paint).map(([k, v]) => [k, round(median(v))])),
      loadAverage: loadavg()[0],
      treemapDrillDownMs: { firstFrame: round(median(drill)), transitionDone: round(median(drillSettled)) },
      queryUncachedMedianMs: uncachedMs,
      apiCachedMedianMs: apiMs,
      firstMeaningfulPaintRunsMs: Object.fromEntries(Object.entries(paint).map(([k, v]) => [k, v.map(round)])),
      targets: { firstMeaningfulPaintMs: 1000, treemapDrillDownMs: 200, atEvents: 10_000_000 },
    };
  } finally {
    await browser.close();
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
