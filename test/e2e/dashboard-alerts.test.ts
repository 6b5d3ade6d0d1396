import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { alertLogPath } from '../../src/alerts/create-alert-sinks.js';
import { createJsonlAlertSink } from '../../src/alerts/jsonl-alert-sink.js';
import { testAlert } from '../../src/alerts/test-alert.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { openFixtureStore, type FixtureStore } from '../../src/web/testing/open-fixture-store.js';
import { dangerousNodes, launchBrowser, pageCspViolations, type TestBrowser, type TestPage } from '../helpers/browser.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Each sets window.__pwned and opens a dialog if it ever runs. */
const PAYLOADS = [
  `<script>window.__pwned=1;alert(1)</script>`,
  `<img src=x onerror="window.__pwned=2;alert(2)">`,
  `"><svg onload="window.__pwned=3;alert(3)">`,
];

/** Attacker data in every text field an alert carries: the rule text comes from YAML, the rest from logs. */
function hostileAlert(p: string, i: number): Alert {
  return testAlert({
    id: `hostile-${i}`,
    timestamp: `2026-11-28T18:0${i}:00.000Z`,
    rule: { id: `rule-${p}`, level: 12, description: `Tunnel to ${p}`, groups: [p] },
    kind: 'tunnel',
    src_ip: '2001:db8::7',
    src_port: 50_000 + i,
    dst_ip: `198.51.100.${i}`,
    dst_port: 443,
    indicator: { seen: `${p}.example`, type: 'Intel::DOMAIN', where: p, indicators: [p], matched: [p], sources: [`feed ${p}`] },
    log: { file: `logs/${p}.log`, line: 40 + i, record: p },
  });
}

const ALERTS: Alert[] = [testAlert({ id: 'plain', rule: { id: 'hs-intel-dns', level: 5, description: 'DNS request for an indicator domain', groups: ['intel'] } }), ...PAYLOADS.map(hostileAlert)];

let fx: FixtureStore;
let server: WebServer;
let browser: TestBrowser;
let tp: TestPage;
let page: Page;

async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 20_000 });
}

beforeAll(async () => {
  if (!existsSync(`${ROOT}web/dist/index.html`)) execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'ignore' });
  fx = await openFixtureStore({ ingest: [] });
  // Written the way `honeyscope watch` writes them, plus one line that is no alert.
  const sink = createJsonlAlertSink(alertLogPath(fx.config));
  for (const alert of ALERTS) await sink.write(alert);
  await sink.close();
  await appendFile(alertLogPath(fx.config), `{"id": "cut short\n`);
  server = await startWebServer({ data: fx.data, config: fx.config, logger: silentLogger() });
  browser = await launchBrowser();
  tp = await browser.newPage();
  page = tp.page;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fx?.close();
});

describe('dashboard alerts page', () => {
  it('lists the alerts newest first, with attacker markup as text', async () => {
    await open('#/alerts', 'alerts');
    const rows = page.locator('#alert-list tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual([
      '2026-11-28 18:02:00',
      '12',
      `Tunnel to ${PAYLOADS[2]}`,
      'tunnel',
      '[2001:db8::7]:50002',
      '198.51.100.2:443',
      `${PAYLOADS[2]}.example`,
      `feed ${PAYLOADS[2]}`,
      '1',
      `logs/${PAYLOADS[2]}.log:42`,
    ]);
    expect(await rows.nth(3).locator('td').nth(2).textContent()).toBe('DNS request for an indicator domain');
    expect(await page.locator('#alert-note').textContent()).toBe('4 alerts · 1 malformed line skipped in the alert log');
    const text = (await page.locator('#alert-list').textContent()) ?? '';
    for (const p of PAYLOADS) expect(text).toContain(p);
    expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });
  });

  it('filters by minimum level and downloads the same rows as CSV', async () => {
    await open('#/alerts', 'alerts');
    await page.selectOption('#alert-level', '10');
    await page.waitForFunction(() => document.querySelectorAll('#alert-list tbody tr').length === 3);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.panel', { hasText: 'Alerts' }).locator('button.csv').click()]);
    expect(csv.suggestedFilename()).toBe('honeyscope-alerts.csv');
    const lines = (await readFile(await csv.path(), 'utf8')).split('\r\n');
    expect(lines[0]).toBe('time,level,rule_id,description,kind,src_ip,src_port,dst_ip,dst_port,indicator,indicator_type,sources,count,log_file,log_line');
    expect(lines.length).toBe(5);
    const p = PAYLOADS[0] ?? '';
    expect(lines.slice(3)).toEqual([`2026-11-28T18:00:00.000Z,12,rule-${p},Tunnel to ${p},tunnel,2001:db8::7,50000,198.51.100.0,443,${p}.example,Intel::DOMAIN,feed ${p},1,logs/${p}.log,40`, '']);
    expect(lines[1]).toMatch(/^2026-11-28T18:02:00\.000Z,12,/);
  });

  it('shows the alert count on the overview counters', async () => {
    await open('#/', 'overview');
    expect(await page.locator('#c-alerts .counter-value').textContent()).toBe('5');
  });

  it('nothing ran: no dialog, no flag, no CSP violation, no console error', async () => {
    expect(tp.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(tp.cspViolations).toEqual([]);
    expect(await pageCspViolations(page)).toEqual([]);
    expect(tp.consoleErrors).toEqual([]);
  });
});
