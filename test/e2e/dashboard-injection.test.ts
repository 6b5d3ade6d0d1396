import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventDispatcher } from '../../src/events/dispatcher.js';
import type { EventDraft, SessionIdentity } from '../../src/events/event.js';
import { silentLogger } from '../../src/lib/logger.js';
import { StoreSink } from '../../src/store/store-sink.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { openFixtureStore, type FixtureStore } from '../../src/web/testing/open-fixture-store.js';
import { dangerousNodes, launchBrowser, pageCspViolations, treemapChildCenter, waitChartIdle, type TestBrowser, type TestPage } from '../helpers/browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${ROOT}test-artifacts`;

/** Each sets window.__pwned and opens a dialog if it ever runs. */
const PAYLOADS = [
  `<script>window.__pwned=1;alert(1)</script>`,
  `<img src=x onerror="window.__pwned=2;alert(2)">`,
  `"><svg onload="window.__pwned=3;alert(3)">`,
];

let fx: FixtureStore;
let server: WebServer;
let browser: TestBrowser;
let tp: TestPage;
let page: Page;
let dispatcher: EventDispatcher;
let sink: StoreSink;

function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

function vector(lengthBytes: 1 | 2, body: Buffer): Buffer {
  return Buffer.concat([lengthBytes === 1 ? Buffer.from([body.length]) : u16(body.length), body]);
}

/** A minimal TLS ClientHello whose server name is `sni`. */
function clientHello(sni: string): Buffer {
  const ext = Buffer.concat([u16(0), vector(2, vector(2, Buffer.concat([Buffer.from([0]), vector(2, Buffer.from(sni))])))]);
  const hello = Buffer.concat([u16(0x0303), Buffer.alloc(32, 7), vector(1, Buffer.alloc(0)), vector(2, u16(0x1301)), Buffer.from([1, 0]), vector(2, ext)]);
  const handshake = Buffer.concat([Buffer.from([1, 0, hello.length >> 8, hello.length & 0xff]), hello]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(handshake.length), handshake]);
}

function b64(data: string | Buffer): string {
  return Buffer.from(data).toString('base64');
}

/** Every attacker-controlled field of a session, filled with `p`. */
function hostileSession(p: string, i: number): EventDraft[] {
  const identity: SessionIdentity = { session: `inj${i}`, protocol: 'ssh', src_ip: `198.51.100.${10 + i}`, src_port: 40_000 + i, dst_ip: '192.0.2.1', dst_port: 22 };
  const draft = (eventid: EventDraft['eventid'], fields: Record<string, unknown>): EventDraft => ({ eventid, message: `${eventid} ${p}`, fields, identity });
  const http = `GET /${p.replaceAll(' ', '%20')} HTTP/1.1\r\nHost: ${p}\r\nUser-Agent: ${p}\r\nReferer: ${p}\r\nX-Requested-With: ${p}\r\n\r\n`;
  return [
    draft('cowrie.session.connect', {}),
    draft('cowrie.client.version', { version: p }),
    draft('cowrie.login.failed', { username: p, password: p }),
    draft('cowrie.login.success', { username: p, password: `${p}!` }),
    draft('cowrie.command.input', { input: p }),
    draft('cowrie.command.failed', { input: `${p} --x` }),
    draft('cowrie.direct-tcpip.request', { dst_ip: p, dst_port: 80, orig_ip: p, orig_port: 1 }),
    draft('cowrie.direct-tcpip.data', { dst_ip: p, dst_port: 80, data_b64: b64(http) }),
    draft('cowrie.direct-tcpip.request', { dst_ip: `${p}-mx`, dst_port: 25 }),
    draft('cowrie.direct-tcpip.data', { dst_ip: `${p}-mx`, dst_port: 25, data_b64: b64(`EHLO ${p}\r\n`) }),
    draft('cowrie.direct-tcpip.request', { dst_ip: `${p}-tls`, dst_port: 443 }),
    draft('cowrie.direct-tcpip.data', { dst_ip: `${p}-tls`, dst_port: 443, data_b64: b64(clientHello(p)) }),
    draft('honeyscope.tunnel.smtp', { dst_ip: p, dst_port: 25, id: 1, ehlo: p, mail_from: p, rcpt_to: [p], subject: p }),
    draft('honeyscope.tunnel.http', { dst_ip: p, dst_port: 80, id: 2, method: 'GET', target: p, host: p, path: p, headers: [['Host', p]] }),
    draft('honeyscope.tunnel.tls', { dst_ip: p, dst_port: 443, id: 3, sni: p }),
    draft('cowrie.session.file_download', { url: `http://example.invalid/${p}`, outfile: p, shasum: `sha-${i}`, destfile: p }),
    draft('cowrie.session.file_upload', { filename: p, outfile: p, shasum: `up-${i}` }),
    draft('cowrie.log.closed', { ttylog: `var/lib/cowrie/tty/inj${i}`, size: 10, shasum: `tty-${i}` }),
    draft('cowrie.session.closed', { duration_ms: 1000 }),
  ];
}

/** Dangerous things in the page: anything but the app's own module script, and any inline handler attribute. */
async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 20_000 });
}

/** Runs every tooltip formatter of a chart (each data item of series 0) the way a hover would. */
async function showEveryTip(chart: string): Promise<number> {
  return page.evaluate(async (name) => {
    const c = (window as unknown as { __charts: Record<string, { getOption(): { series: { data?: unknown[] }[] }; dispatchAction(a: unknown): void }> }).__charts[name];
    const count = c?.getOption().series[0]?.data?.length ?? 0;
    for (let i = 0; i < count; i++) {
      c?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: i });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return count;
  }, chart);
}

async function expectClean(): Promise<void> {
  expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });
}

beforeAll(async () => {
  if (!existsSync(`${ROOT}web/dist/index.html`)) execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'ignore' });
  await mkdir(ARTIFACTS, { recursive: true });
  fx = await openFixtureStore({ ingest: [] });
  const logger = silentLogger();
  dispatcher = new EventDispatcher({ sensor: PAYLOADS[2] ?? 'x', uuid: 'inj', logger });
  sink = new StoreSink(fx.store, { logger, flushMs: 20 });
  dispatcher.addSink(sink);
  await mkdir(join(fx.dir, 'tty'), { recursive: true });
  for (const [i, p] of PAYLOADS.entries()) {
    await writeFile(join(fx.dir, 'tty', `inj${i}`), `{"version": 2, "width": 80, "height": 24}\n${JSON.stringify([0.01, 'o', `$ ${p}\r\n`])}\n${JSON.stringify([0.02, 'o', `\u001b[31m${p}\u001b[0m\r\n`])}\n`);
    for (const draft of hostileSession(p, i)) await dispatcher.dispatch(draft);
  }
  await sink.flush();
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

describe('dashboard with script and markup in every attacker field', () => {
  it('overview and live feed show the payloads as text, including events arriving live', async () => {
    await open('#/', 'overview');
    await page.waitForSelector('#feed-state.open');
    for (const draft of hostileSession(PAYLOADS[1] ?? '', 7)) await dispatcher.dispatch(draft);
    await expect.poll(() => page.locator('#live-feed').textContent(), { timeout: 10_000 }).toContain('inj7');
    const text = (await page.locator('#live-feed').textContent()) ?? '';
    for (const p of PAYLOADS) expect(text).toContain(p);
    await expectClean();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-injection-overview.png`, fullPage: true });
  });

  it('outbound: tree map, link graph tooltips and payload tables stay text', async () => {
    await open('#/outbound', 'outbound');
    await page.locator('#treemap').scrollIntoViewIfNeeded();
    await waitChartIdle(page, 'treemap');
    const src = await treemapChildCenter(page, '198.51.100.11');
    if (!src) throw new Error('no tree-map node for 198.51.100.11');
    await page.mouse.click(src.x, src.y);
    await waitChartIdle(page, 'treemap');
    const port = await treemapChildCenter(page, 'port 80');
    if (!port) throw new Error('no tree-map node for port 80');
    await page.mouse.click(port.x, port.y);
    await waitChartIdle(page, 'treemap');
    const dst = await treemapChildCenter(page, PAYLOADS[1] ?? '');
    if (!dst) throw new Error('no tree-map node for the payload destination');
    await page.mouse.move(dst.x, dst.y);
    await expect.poll(() => page.locator('.chart-tip').first().textContent()).toContain(PAYLOADS[1]);
    expect(await showEveryTip('graph')).toBeGreaterThan(3);
    for (const id of ['#ehlo', '#http', '#tls']) {
      const text = (await page.locator(id).textContent()) ?? '';
      for (const p of PAYLOADS) expect(text, id).toContain(p);
    }
    await expectClean();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-injection-outbound.png`, fullPage: true });
  });

  it('sessions list, session pages and terminal replay stay text', async () => {
    await open('#/sessions', 'sessions');
    await page.fill('#session-search', PAYLOADS[0] ?? '');
    await page.press('#session-search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#session-list tbody tr').length === 1);
    for (const i of [0, 1, 2]) {
      await open(`#/session/inj${i}`, 'session');
      const text = (await page.locator('.page-session').textContent()) ?? '';
      expect(text).toContain(PAYLOADS[i]);
      await page.click('#play');
      await expect.poll(() => page.locator('#terminal').textContent()).toContain(`$ ${PAYLOADS[i]}\n${PAYLOADS[i]}\n`);
      await expectClean();
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-injection-session.png`, fullPage: true });
  });

  it('credential and command top lists, with chart tooltips, stay text', async () => {
    await open('#/top', 'top');
    expect(await showEveryTip('credentials')).toBeGreaterThan(2);
    expect(await showEveryTip('commands')).toBeGreaterThan(2);
    const text = (await page.locator('#credentials').textContent()) + ((await page.locator('#commands').textContent()) ?? '');
    for (const p of PAYLOADS) expect(text).toContain(p);
    await expectClean();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-injection-top.png`, fullPage: true });
  });

  it('nothing ran: no dialog, no flag, no CSP violation, no console error', async () => {
    expect(tp.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(tp.cspViolations).toEqual([]);
    expect(await pageCspViolations(page)).toEqual([]);
    expect(tp.consoleErrors).toEqual([]);
  });
});
