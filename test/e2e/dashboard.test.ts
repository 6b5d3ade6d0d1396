import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventDispatcher } from '../../src/events/dispatcher.js';
import { silentLogger } from '../../src/lib/logger.js';
import { StoreSink } from '../../src/store/store-sink.js';
import type { CredentialRow, Overview, TreeNode } from '../../src/web/dashboard-data.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { openFixtureStore, type FixtureStore } from '../../src/web/testing/open-fixture-store.js';
import { apiJson } from '../helpers/api-json.js';
import {
  launchBrowser,
  pageCspViolations,
  treemapBreadcrumbCenter,
  treemapChildCenter,
  treemapViewRoot,
  type TestBrowser,
  type TestPage,
  toolboxIconCenter,
  waitChartIdle,
} from '../helpers/browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${ROOT}test-artifacts`;

let fx: FixtureStore;
let server: WebServer;
let browser: TestBrowser;
let tp: TestPage;
let page: Page;
let dispatcher: EventDispatcher;

function api<T>(path: string): Promise<T> {
  return apiJson<T>(server.url, path);
}

async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 20_000 });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-${name}.png`, fullPage: true });
}

/** A tree-map child's centre once the zoom animation has finished. */
async function settledCenter(name: string): Promise<{ x: number; y: number }> {
  await waitChartIdle(page, 'treemap');
  const center = await treemapChildCenter(page, name);
  if (!center) throw new Error(`No tree-map node "${name}" in the current view`);
  return center;
}

async function tooltipText(): Promise<string> {
  const tip = page.locator('.chart-tip').first();
  await tip.waitFor({ state: 'visible', timeout: 5000 });
  return (await tip.textContent()) ?? '';
}

beforeAll(async () => {
  if (!existsSync(`${ROOT}web/dist/index.html`)) execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'ignore' });
  await mkdir(ARTIFACTS, { recursive: true });
  fx = await openFixtureStore();
  const logger = silentLogger();
  dispatcher = new EventDispatcher({ sensor: 'e2e-sensor', uuid: 'e2e', logger });
  dispatcher.addSink(new StoreSink(fx.store, { logger, flushMs: 20 }));
  server = await startWebServer({ data: fx.data, config: fx.config, logger, dispatcher });
  browser = await launchBrowser();
  tp = await browser.newPage();
  page = tp.page;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await dispatcher?.close();
  await fx?.close();
});

describe('dashboard in Chromium', () => {
  it('overview shows the API counters and the rate graph with its views', async () => {
    const overview = await api<Overview>('overview');
    await open('#/', 'overview');
    expect(await page.locator('#c-events .counter-value').textContent()).toBe(overview.events.toLocaleString('en-US'));
    expect(await page.locator('#c-attempts .counter-value').textContent()).toBe(overview.attempts.toLocaleString('en-US'));
    expect(await page.locator('#rate-chart canvas').count()).toBe(1);
    const sources = await page.evaluate(() => (window.__charts?.rates?.getOption() as { series: { name: string }[] }).series.map((s) => s.name));
    expect(sources).toContain('all sources');
    expect(sources).toContain('other');
    await page.click('button[data-view="week"]');
    await page.waitForFunction(() => (window.__charts?.rates?.getOption() as { yAxis: { name: string }[] }).yAxis[0]?.name === 'attempts / 5min');
    expect(await page.locator('#live-feed li').count()).toBeGreaterThan(10);
    await shot('overview');
  });

  it('the live feed shows an event dispatched after the page loaded', async () => {
    await open('#/', 'overview');
    await page.waitForSelector('#feed-state.open');
    await dispatcher.dispatch({
      eventid: 'cowrie.login.failed',
      message: 'login attempt [live-user/live-pass] failed',
      fields: { username: 'live-user-e2e', password: 'live-pass' },
      identity: { session: 'live0001', protocol: 'ssh', src_ip: '203.0.113.77', src_port: 40000, dst_ip: '192.0.2.1', dst_port: 22 },
    });
    const first = page.locator('#live-feed li').first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toContain('live-user-e2e / live-pass');
    expect(await first.textContent()).toContain('203.0.113.77');
  });

  it('the tree map drills down two levels and back, and its tooltip shows the API count', async () => {
    const tree = await api<TreeNode>('outbound/tree');
    const src = tree.children?.[0];
    const port = src?.children?.[0];
    const dst = port?.children?.[0];
    if (!src || !port || !dst) throw new Error('fixture tree too small');
    await open('#/outbound', 'outbound');
    await page.locator('#treemap').scrollIntoViewIfNeeded();
    expect(await treemapViewRoot(page)).toBe('all sources');

    const a = await settledCenter(src.name);
    await page.mouse.move(a.x, a.y);
    const tip = await tooltipText();
    expect(tip).toContain(src.name);
    expect(tip).toContain(`attempts ${src.value.toLocaleString('en-US')}`);
    await page.mouse.click(a.x, a.y);
    await expect.poll(() => treemapViewRoot(page)).toBe(src.name);

    const b = await settledCenter(port.name);
    await page.mouse.click(b.x, b.y);
    await expect.poll(() => treemapViewRoot(page)).toBe(port.name);

    const c = await settledCenter(dst.name);
    await page.mouse.move(c.x, c.y + 1);
    await expect.poll(tooltipText).toContain(`${src.name} › ${port.name} › ${dst.name}`);
    expect(await tooltipText()).toContain(`attempts ${dst.value.toLocaleString('en-US')}`);
    await shot('outbound-drilled');

    const crumb = await treemapBreadcrumbCenter(page, 'all sources');
    if (!crumb) throw new Error('no breadcrumb');
    await page.mouse.click(crumb.x, crumb.y);
    await expect.poll(() => treemapViewRoot(page)).toBe('all sources');
  });

  it('the outbound page shows the link graph and payload tables', async () => {
    await open('#/outbound', 'outbound');
    expect(await page.locator('#graph-day option').count()).toBeGreaterThan(5);
    const links = await page.evaluate(() => (window.__charts?.graph?.getOption() as { series: { links: unknown[] }[] }).series[0]?.links.length ?? 0);
    expect(links).toBeGreaterThan(0);
    expect(await page.locator('#http tbody tr').first().textContent()).toContain('yahoo.com');
    await page.waitForTimeout(500);
    await shot('outbound');
  });

  it('sessions: search finds a session and its page shows the credentials', async () => {
    await open('#/sessions', 'sessions');
    expect(await page.locator('#session-list tbody tr').count()).toBe(100);
    await shot('sessions');
    await page.fill('#session-search', '7ujMko0admin');
    await page.press('#session-search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#session-list tbody tr').length < 100);
    await page.locator('#session-list tbody a').first().click();
    await page.waitForSelector('body[data-ready="session"]');
    expect(await page.locator('.page-session').textContent()).toContain('7ujMko0admin');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.panel', { hasText: 'Credentials' }).locator('button.csv').click()]);
    const lines = (await readFile(await csv.path(), 'utf8')).split('\r\n');
    expect(lines[0]).toBe('time,username,password,success');
    expect(lines.some((l) => l.includes(',7ujMko0admin,'))).toBe(true);
    await shot('session');
  });

  it('credentials and commands show the API top lists', async () => {
    const creds = await api<CredentialRow[]>('credentials?limit=100');
    await open('#/top', 'top');
    const first = await page.locator('#credentials tbody tr').first().locator('td').allTextContents();
    expect(first.slice(0, 3)).toEqual([creds[0]?.username, creds[0]?.password, creds[0]?.attempts.toLocaleString('en-US')]);
    expect(await page.locator('#commands tbody tr').count()).toBeGreaterThan(5);
    await shot('top-lists');
  });

  it('charts download as PNG and SVG, tables as CSV', async () => {
    await open('#/top', 'top');
    await page.locator('#credentials-chart').scrollIntoViewIfNeeded();
    const svgIcon = await toolboxIconCenter(page, 'credentials', 'SVG');
    const pngIcon = await toolboxIconCenter(page, 'credentials', 'PNG');
    if (!svgIcon || !pngIcon) throw new Error('no toolbox icons');
    const [svg] = await Promise.all([page.waitForEvent('download'), page.mouse.click(svgIcon.x, svgIcon.y)]);
    expect(svg.suggestedFilename()).toBe('honeyscope-credentials.svg');
    const svgText = await readFile(await svg.path(), 'utf8');
    expect(svgText).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svgText).toContain('root / admin');
    const [png] = await Promise.all([page.waitForEvent('download'), page.mouse.click(pngIcon.x, pngIcon.y)]);
    expect(png.suggestedFilename()).toBe('honeyscope-credentials.png');
    expect((await readFile(await png.path())).subarray(1, 4).toString()).toBe('PNG');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.panel', { hasText: 'Top commands' }).locator('button.csv').click()]);
    expect(csv.suggestedFilename()).toBe('honeyscope-commands.csv');
    expect((await readFile(await csv.path(), 'utf8')).split('\r\n')[0]).toBe('command,count');
  });

  it('with a token configured, the UI asks for it and then loads', async () => {
    const config = { ...fx.config, web: { ...fx.config.web, token: 'e2e-token' } };
    const guarded = await startWebServer({ data: fx.data, config, logger: silentLogger() });
    try {
      await page.goto(`${guarded.url}/#/top`);
      await page.waitForSelector('body[data-ready="error"] form.login');
      await page.fill('input[name=token]', 'e2e-token');
      await page.click('form.login button[type=submit]');
      await page.waitForSelector('body[data-ready="top"]');
      expect(await page.locator('#credentials tbody tr').count()).toBeGreaterThan(5);
    } finally {
      await guarded.close();
    }
  });

  it('logged no CSP violation, console error or dialog on any page', async () => {
    expect(tp.cspViolations).toEqual([]);
    expect(await pageCspViolations(page)).toEqual([]);
    // The sign-in test's refused API calls are the only errors expected.
    expect(tp.consoleErrors.filter((m) => !m.includes('status of 401'))).toEqual([]);
    expect(tp.dialogs).toEqual([]);
  });
});
