import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { EventDispatcher } from '../events/dispatcher.js';
import { isHoneyscopeError } from '../lib/errors.js';
import { silentLogger } from '../lib/logger.js';
import { isLoopbackHost, startWebServer } from './start-web-server.js';
import { openFixtureStore, type FixtureStore } from './testing/open-fixture-store.js';

let fx: FixtureStore;

beforeAll(async () => {
  fx = await openFixtureStore({ ingest: [] });
});

afterAll(async () => {
  await fx?.close();
});

/** Reads SSE records from a fetch response until `done` says stop. */
async function readEvents(res: Response, done: (events: { type: string; data: string }[]) => boolean): Promise<{ type: string; data: string }[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { type: string; data: string }[] = [];
  let buffer = '';
  while (!done(events)) {
    const { value, done: end } = await reader.read();
    if (end) break;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const record = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const type = /^event: ?(.*)$/m.exec(record)?.[1] ?? 'message';
      const data = /^data: ?(.*)$/m.exec(record)?.[1];
      if (data !== undefined) events.push({ type, data });
    }
  }
  await reader.cancel();
  return events;
}

describe('isLoopbackHost()', () => {
  it('knows loopback addresses from the rest', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', 'localhost', '::ffff:127.0.0.1'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.org'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});

describe('startWebServer()', () => {
  it('refuses a non-loopback address without authentication', async () => {
    const config = loadConfig({ overrides: { core: { dataDir: fx.dir }, web: { listen: '0.0.0.0:0' } } });
    const err = await startWebServer({ data: fx.data, config, logger: silentLogger() }).catch((e: unknown) => e);
    expect(isHoneyscopeError(err, 'HS_WEB_AUTH')).toBe(true);
    expect((err as Error).message).toBe(
      'Refusing to serve the dashboard on "0.0.0.0:0" without authentication: set web.token or web.users (honeyscope web hash-password), or listen on 127.0.0.1',
    );
  });

  it('starts on a non-loopback address once a token is set, and the API then needs it', async () => {
    const config = loadConfig({ overrides: { core: { dataDir: fx.dir }, web: { listen: '0.0.0.0:0', token: 't0ken' } } });
    const server = await startWebServer({ data: fx.data, config, logger: silentLogger() });
    try {
      const port = new URL(server.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/overview`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/overview`, { headers: { Authorization: 'Bearer t0ken' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('streams events the dispatcher delivers after the client connected', async () => {
    const dispatcher = new EventDispatcher({ sensor: 'web-test', uuid: 'u-1', logger: silentLogger() });
    const server = await startWebServer({ data: fx.data, config: fx.config, logger: silentLogger(), dispatcher });
    try {
      const res = await fetch(`${server.url}/api/events/stream`);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const events = readEvents(res, (list) => list.some((e) => e.type === 'event'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await dispatcher.dispatch({ eventid: 'cowrie.login.failed', message: 'login attempt', fields: { username: '<b>x</b>', password: 'p' } });
      const list = await events;
      expect(list[0]).toEqual({ type: 'ready', data: '{}' });
      expect(JSON.parse(list.find((e) => e.type === 'event')?.data ?? '{}')).toMatchObject({ eventid: 'cowrie.login.failed', username: '<b>x</b>', sensor: 'web-test' });
    } finally {
      await server.close();
    }
  });

  it('without a dispatcher, streams rows newly stored (polling)', async () => {
    const server = await startWebServer({ data: fx.data, config: fx.config, logger: silentLogger(), feedPollMs: 100 });
    try {
      const res = await fetch(`${server.url}/api/events/stream`);
      const events = readEvents(res, (list) => list.some((e) => e.type === 'event'));
      await new Promise((resolve) => setTimeout(resolve, 400));
      await fx.add([{ eventid: 'cowrie.command.input', sensor: 's', session: 'poll-1', src_ip: '203.0.113.5', timestamp: new Date().toISOString().replace('Z', '000Z'), input: 'uname -a', message: 'CMD: uname -a' }]);
      const list = await events;
      expect(JSON.parse(list.find((e) => e.type === 'event')?.data ?? '{}')).toMatchObject({ eventid: 'cowrie.command.input', input: 'uname -a' });
    } finally {
      await server.close();
    }
  });
});
