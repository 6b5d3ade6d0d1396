import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import type { SessionDetail, SessionSummary, TreeNode } from '../../src/web/dashboard-data.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { openFixtureStore, type FixtureStore } from '../../src/web/testing/open-fixture-store.js';
import { launchBrowser, type TestBrowser, type TestPage } from '../helpers/browser.js';
import { apiJson } from '../helpers/api-json.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${ROOT}test-artifacts`;
const NARROW = 400;
const WIDE = 1280;

let fx: FixtureStore;
let server: WebServer;
let browser: TestBrowser;
let tp: TestPage;
let page: Page;
const pageErrors: string[] = [];
/** A session with downloads and tunnels: the widest tables. */
let sessionId: string;

function api<T>(path: string): Promise<T> {
  return apiJson<T>(server.url, path);
}

/** Loads the page in a fresh document: going to the hash already shown would keep the last test's filters. */
async function open(hash: string, ready: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 20_000 });
}

async function shot(name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-narrow-${name}.png`, fullPage });
}

function scrollWidth(): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Height and left/right edges of the first feed rows and of their parts. */
function feedRows(count: number): Promise<{ height: number; right: number; textWidth: number; srcRight: number }[]> {
  return page.evaluate((n) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#live-feed li')].slice(0, n);
    return rows.map((li) => {
      const box = li.getBoundingClientRect();
      return {
        height: box.height,
        right: box.right,
        textWidth: li.querySelector('.feed-text')?.getBoundingClientRect().width ?? 0,
        srcRight: li.querySelector('.feed-src')?.getBoundingClientRect().right ?? Number.POSITIVE_INFINITY,
      };
    });
  }, count);
}

/** The destination ports under every source the tree map shows. */
function treemapPorts(): Promise<string[]> {
  return page.evaluate(() => {
    const option = window.__charts?.treemap?.getOption() as { series: { data: { children?: { name: string }[] }[] }[] };
    return [...new Set(option.series[0]?.data.flatMap((src) => (src.children ?? []).map((p) => p.name)) ?? [])];
  });
}

beforeAll(async () => {
  if (!existsSync(`${ROOT}web/dist/index.html`)) execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'ignore' });
  await mkdir(ARTIFACTS, { recursive: true });
  fx = await openFixtureStore();
  server = await startWebServer({ data: fx.data, config: fx.config, logger: silentLogger() });
  const withDownloads = await api<SessionSummary[]>('sessions?q=wget');
  sessionId = withDownloads[0]?.session ?? '';
  browser = await launchBrowser();
  tp = await browser.newPage();
  page = tp.page;
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.stack ?? err.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fx?.close();
});

describe('dashboard on a narrow screen', () => {
  it('no page scrolls sideways at 400 px: wide tables scroll inside their panels', async () => {
    const detail = await api<SessionDetail>(`sessions/${sessionId}`);
    expect(detail.downloads.length).toBeGreaterThan(0);
    await page.setViewportSize({ width: NARROW, height: 900 });
    const pages: [string, string, string][] = [
      ['overview', '#/', 'overview'],
      ['outbound', '#/outbound', 'outbound'],
      ['sessions', '#/sessions', 'sessions'],
      ['session', `#/session/${sessionId}`, 'session'],
      ['top', '#/top', 'top'],
      ['alerts', '#/alerts', 'alerts'],
    ];
    const scrolling: string[] = [];
    for (const [name, hash, ready] of pages) {
      await open(hash, ready);
      expect(await scrollWidth(), name).toBeLessThanOrEqual(NARROW);
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.table-scroll')].map((b) => ({ scroll: b.scrollWidth, client: b.clientWidth, overflow: getComputedStyle(b).overflowX })),
      );
      for (const box of boxes) expect(box.overflow, name).toBe('auto');
      if (boxes.some((box) => box.scroll > box.client)) scrolling.push(name);
      await shot(name, name !== 'sessions');
    }
    // Tables wider than the screen scroll inside their own box.
    expect(scrolling).toEqual(expect.arrayContaining(['outbound', 'sessions']));
  });

  it('the live feed stays readable at 400 px: short rows, text as wide as the panel', async () => {
    await page.setViewportSize({ width: NARROW, height: 900 });
    await open('#/', 'overview');
    const rows = await feedRows(20);
    expect(rows.length).toBe(20);
    for (const row of rows) {
      // Time and event id, source and session, then what happened (one or two lines); it was ~390 px.
      expect(row.height).toBeLessThanOrEqual(90);
      expect(row.right).toBeLessThanOrEqual(NARROW);
      expect(row.srcRight).toBeLessThanOrEqual(NARROW);
      expect(row.textWidth).toBeGreaterThan(300);
    }
    await page.locator('#feed-box').screenshot({ path: `${ARTIFACTS}/dashboard-narrow-feed.png` });
  });

  it('at 1280 px the feed keeps one line per event in five columns', async () => {
    await page.setViewportSize({ width: WIDE, height: 900 });
    await open('#/', 'overview');
    expect(await scrollWidth()).toBeLessThanOrEqual(WIDE);
    const columns = await page.evaluate(() => getComputedStyle(document.querySelector('#live-feed li') as Element).gridTemplateColumns.split(' ').length);
    expect(columns).toBe(5);
    for (const row of await feedRows(20)) expect(row.height).toBeLessThan(30);
    await shot('overview-wide');
  });

  it('a refused filter shows the API error next to it and hides the stale chart', async () => {
    await page.setViewportSize({ width: WIDE, height: 1000 });
    await open('#/outbound', 'outbound');
    expect(await page.locator('#treemap').isVisible()).toBe(true);

    await page.fill('#tree-filters input[name=top]', '0');
    await page.click('#draw-tree');
    await expect.poll(() => page.locator('#treemap-note').textContent()).toBe('Invalid "top" value "0": expected an integer from 1 to 500');
    expect(await page.locator('#treemap-note').getAttribute('class')).toContain('error');
    expect(await page.locator('#treemap').isVisible()).toBe(false);
    await page.locator('#treemap-note').scrollIntoViewIfNeeded();
    await shot('top0');

    await page.fill('#tree-filters input[name=top]', '20');
    await page.click('#draw-tree');
    await page.locator('#treemap').waitFor({ state: 'visible' });
    expect(await page.locator('#treemap-note').isVisible()).toBe(false);
    expect(await page.evaluate(() => window.__charts?.treemap?.getWidth() ?? 0)).toBeGreaterThan(500);

    await page.fill('input[name=edges]', '0');
    await page.click('#draw-graph');
    await expect.poll(() => page.locator('#link-graph-note').textContent()).toBe('Invalid "edges" value "0": expected an integer from 1 to 2000');
    expect(await page.locator('#link-graph').isVisible()).toBe(false);
    await page.locator('#link-graph-note').scrollIntoViewIfNeeded();
    await shot('edges0');
    // The replaced chart is cleared, so a window resize has nothing stale to lay out.
    expect(await page.evaluate(() => (window.__charts?.graph?.getOption() as { series?: unknown[] } | undefined)?.series?.length ?? 0)).toBe(0);
    await page.setViewportSize({ width: NARROW, height: 1000 });
    await page.setViewportSize({ width: WIDE, height: 1000 });

    await page.fill('input[name=edges]', '150');
    await page.fill('input[name=min]', '1000000');
    await page.click('#draw-graph');
    await expect.poll(() => page.locator('#link-graph-note').textContent()).toBe('No data for this selection.');
    expect(await page.locator('#link-graph').isVisible()).toBe(false);

    expect(pageErrors).toEqual([]);
  });

  it('the port filter belongs to the tree map and narrows it', async () => {
    await page.setViewportSize({ width: WIDE, height: 1000 });
    await open('#/outbound', 'outbound');
    // The payload lists cannot be filtered by port, so the field is not among the filters they follow.
    expect(await page.locator('form.filters input[name=port]').count()).toBe(0);
    const treePanel = page.locator('.panel', { has: page.locator('#treemap') });
    expect(await treePanel.locator('input[name=port]').count()).toBe(1);
    const httpRows = await page.locator('#http tbody tr').count();

    await page.fill('#tree-filters input[name=port]', '22');
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().includes('/api/outbound/tree?')), page.press('#tree-filters input[name=port]', 'Enter')]);
    expect(new URL(request.url()).searchParams.get('port')).toBe('22');
    await expect.poll(() => page.locator('#treemap-note').textContent()).toBe('No data for this selection.');
    expect(await page.locator('#treemap').isVisible()).toBe(false);
    await page.locator('#treemap-note').scrollIntoViewIfNeeded();
    await shot('port22');

    const tree80 = await api<TreeNode>('outbound/tree?port=80');
    expect(tree80.children?.length).toBeGreaterThan(0);
    await page.fill('#tree-filters input[name=port]', '80');
    await page.click('#draw-tree');
    await page.locator('#treemap').waitFor({ state: 'visible' });
    await expect.poll(treemapPorts).toEqual(['port 80']);
    const shown = await page.evaluate(() => (window.__charts?.treemap?.getOption() as { series: { data: { name: string; value: number }[] }[] }).series[0]?.data.map((d) => [d.name, d.value]));
    expect(shown).toEqual(tree80.children?.map((c) => [c.name, c.value]));
    // The global Apply keeps the tree's port.
    await page.click('#apply-filters');
    await expect.poll(treemapPorts).toEqual(['port 80']);
    expect(await page.locator('#http tbody tr').count()).toBe(httpRows);
    expect(pageErrors).toEqual([]);
    expect(tp.consoleErrors.filter((m) => !m.includes('status of 400'))).toEqual([]);
  });
});
