import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSensorRuntime, type SensorRuntime } from '../../src/cli/sensor-runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { StoreSink } from '../../src/store/store-sink.js';
import type { SessionSummary } from '../../src/web/dashboard-data.js';
import { startWebServer, type WebServer } from '../../src/web/start-web-server.js';
import { openFixtureStore, type FixtureStore } from '../../src/web/testing/open-fixture-store.js';
import { dangerousNodes, launchBrowser, pageCspViolations, type TestBrowser, type TestPage } from '../helpers/browser.js';
import { exchange, forwardOut } from '../helpers/ssh2-client.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts', import.meta.url));

/** Each sets window.__pwned and opens a dialog if it ever runs; none has a colon (userdb syntax). */
const PAYLOADS = [`<script>window.__pwned=1;alert(1)</script>`, `<img src=x onerror="window.__pwned=2;alert(2)">`, `"><svg onload="window.__pwned=3;alert(3)">`];

let fx: FixtureStore;
let runtime: SensorRuntime;
let sink: StoreSink;
let server: WebServer;
let browser: TestBrowser;
let tp: TestPage;
let page: Page;

function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

function vector(lengthBytes: 1 | 2, body: Buffer): Buffer {
  return Buffer.concat([lengthBytes === 1 ? Buffer.from([body.length]) : u16(body.length), body]);
}

function clientHello(sni: string): Buffer {
  const ext = Buffer.concat([u16(0), vector(2, vector(2, Buffer.concat([Buffer.from([0]), vector(2, Buffer.from(sni))])))]);
  const hello = Buffer.concat([u16(0x0303), Buffer.alloc(32, 7), vector(1, Buffer.alloc(0)), vector(2, u16(0x1301)), Buffer.from([1, 0]), vector(2, ext)]);
  const handshake = Buffer.concat([Buffer.from([1, 0, hello.length >> 8, hello.length & 0xff]), hello]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(handshake.length), handshake]);
}

function connect(username: string, passwords: string[], ident: string): Promise<ssh2.Client> {
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: runtime.sensor.address.port,
      username,
      ident,
      authHandler: passwords.map((password) => ({ type: 'password' as const, username, password })),
      readyTimeout: 15_000,
    });
  });
}

/**
 * A bot's sessions: the payload as client version, user name and passwords
 * (the first refused: userdb denies a trailing "!"), then, logged in as a plain
 * user (the sensor's shell cannot yet take a user name with "/" as its home:
 * reported), as command, typed shell input, tunnel destinations and bytes.
 */
async function attack(p: string, i: number): Promise<void> {
  (await connect(p, [`${p}!`, p], `Bot ${p}`)).end();
  const client = await connect(`bot${i}`, [p], `Bot ${p}`);
  try {
    await new Promise<void>((resolve, reject) => {
      client.exec(p, (err, stream) => {
        if (err) return reject(err);
        stream.on('close', () => resolve()).resume();
      });
    });
    await new Promise<void>((resolve, reject) => {
      client.shell({ term: 'xterm', cols: 80, rows: 24 }, (err, stream: ClientChannel) => {
        if (err) return reject(err);
        stream.on('close', () => resolve()).resume();
        stream.write(`echo '${p}'\n`);
        setTimeout(() => stream.write('exit\n'), 300);
      });
    });
    await exchange(await forwardOut(client, p, 80), `GET /${p.replaceAll(' ', '%20')} HTTP/1.1\r\nHost: ${p}\r\nUser-Agent: ${p}\r\nReferer: ${p}\r\n\r\n`, 800);
    await exchange(await forwardOut(client, p, 25), `EHLO ${p}\r\nQUIT\r\n`, 800);
    await exchange(await forwardOut(client, p, 443), clientHello(p), 800);
  } finally {
    client.end();
  }
}

async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 20_000 });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  fx = await openFixtureStore({ ingest: [] });
  const logger = silentLogger();
  const config = loadConfig({
    overrides: {
      core: { dataDir: fx.dir, sensorName: 'web-e2e' },
      sensor: { listen: '127.0.0.1:0', hostKeyTypes: ['ed25519'], authFailDelayMs: 10 },
      auth: { userdb: ['*:x:!/!$/', '*:x:*'] },
      log: { fsync: false },
      web: { listen: '127.0.0.1:0' },
    },
  });
  sink = new StoreSink(fx.store, { logger, flushMs: 20 });
  runtime = await startSensorRuntime(config, logger, { sinks: [sink] });
  server = await startWebServer({ data: fx.data, config: runtime.config, logger, dispatcher: runtime.dispatcher });
  browser = await launchBrowser();
  tp = await browser.newPage();
  page = tp.page;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
  await fx?.close();
});

describe('dashboard over payloads sent through the real sensor (SSH)', () => {
  it('shows what bots sent as text on every page, live and stored, and nothing runs', { timeout: 180_000 }, async () => {
    await open('#/', 'overview');
    await page.waitForSelector('#feed-state.open');
    const eventsBefore = await page.locator('#c-events .counter-value').textContent();
    for (const [i, p] of PAYLOADS.entries()) await attack(p, i);
    await expect.poll(() => page.locator('#live-feed').textContent(), { timeout: 15_000 }).toContain(`echo '${PAYLOADS[2]}'`);
    // The counters follow the live events without a reload.
    await expect.poll(() => page.locator('#c-events .counter-value').textContent(), { timeout: 15_000 }).not.toBe(eventsBefore);
    await sink.flush();
    expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });

    await open('#/outbound', 'outbound');
    for (const id of ['#ehlo', '#http', '#tls']) {
      const text = (await page.locator(id).textContent()) ?? '';
      for (const p of PAYLOADS) expect(text, id).toContain(p);
    }
    expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });

    for (const p of PAYLOADS) {
      const found = (await (await fetch(`${server.url}/api/sessions?q=${encodeURIComponent(p)}`)).json()) as SessionSummary[];
      const session = found.find((s) => s.commandCount > 0);
      if (!session) throw new Error(`no session for ${p}`);
      await open(`#/session/${session.session}`, 'session');
      const text = (await page.locator('.page-session').textContent()) ?? '';
      expect(text).toContain(`Bot ${p}`);
      // The sensor's own asciicast recording of the shell, replayed as text.
      await page.click('#play');
      await page.click('text=To end');
      expect(await page.locator('#terminal').textContent()).toContain(`echo '${p}'`);
      expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-sensor-session.png`, fullPage: true });

    await open('#/top', 'top');
    const top = (await page.locator('#credentials').textContent()) ?? '';
    for (const p of PAYLOADS) expect(top).toContain(`${p}!`);
    expect(await dangerousNodes(page)).toEqual({ scripts: 1, media: 0, handlers: [], pwned: undefined });

    expect(tp.dialogs).toEqual([]);
    expect(tp.cspViolations).toEqual([]);
    expect(await pageCspViolations(page)).toEqual([]);
    expect(tp.consoleErrors).toEqual([]);
  });
});
