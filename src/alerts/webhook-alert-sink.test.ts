import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AlertDispatcher } from './alert-dispatcher.js';
import type { AlertSink } from './alert-sink.js';
import { createWebhookAlertSink } from './webhook-alert-sink.js';
import { testAlert } from './test-alert.js';

async function receiver(answer: (n: number) => number): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push({ type: req.headers['content-type'], body: JSON.parse(body) as unknown });
      res.statusCode = answer(++n);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('createWebhookAlertSink()', () => {
  it('POSTs the alert as JSON and rejects on a non-2xx answer', async () => {
    const server = await receiver((n) => (n === 1 ? 204 : 500));
    const sink = createWebhookAlertSink({ url: server.url });
    try {
      await sink.write(testAlert());
      expect(server.bodies).toEqual([{ type: 'application/json', body: testAlert() }]);
      await expect(sink.write(testAlert())).rejects.toThrow(`Cannot POST alert to ${server.url}: server answered 500`);
    } finally {
      await server.close();
    }
  });
});

describe('AlertDispatcher', () => {
  it('retries a failing webhook with backoff until it is delivered, counting retries', async () => {
    const server = await receiver((n) => (n <= 2 ? 503 : 200));
    const delays: number[] = [];
    const dispatcher = new AlertDispatcher([createWebhookAlertSink({ url: server.url })], {
      retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 150 },
      sleep: async (ms) => void delays.push(ms),
    });
    try {
      dispatcher.dispatch(testAlert());
      await dispatcher.flush();
      expect(server.bodies).toHaveLength(3);
      expect(delays).toEqual([100, 150]);
      expect(dispatcher.stats()).toEqual({ webhook: { sent: 1, failed: 0, retries: 2, dropped: 0, queued: 0 } });
    } finally {
      await dispatcher.close();
      await server.close();
    }
  });

  it('never lets a failing or hanging sink block the others, and counts what it gave up', async () => {
    const delivered: string[] = [];
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const sinks: AlertSink[] = [
      { name: 'broken', write: () => Promise.reject(new Error('disk full')), close: async () => undefined },
      { name: 'slow', write: () => hanging, close: async () => undefined },
      { name: 'ok', write: async (a) => void delivered.push(a.id), close: async () => undefined },
    ];
    const dispatcher = new AlertDispatcher(sinks, { retry: { attempts: 2, baseDelayMs: 0 }, sleep: async () => undefined });
    dispatcher.dispatch(testAlert({ id: 'one' }));
    dispatcher.dispatch(testAlert({ id: 'two' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toEqual(['one', 'two']);
    expect(dispatcher.stats().broken).toEqual({ sent: 0, failed: 2, retries: 2, dropped: 0, queued: 0 });
    expect(dispatcher.stats().slow).toMatchObject({ sent: 0, queued: 1 });
    release();
    await dispatcher.close();
    expect(dispatcher.stats().slow).toEqual({ sent: 2, failed: 0, retries: 0, dropped: 0, queued: 0 });
  });

  it('drops the oldest alert when a sink queue is full', async () => {
    const never = new Promise<void>(() => undefined);
    const dispatcher = new AlertDispatcher([{ name: 'stuck', write: () => never, close: async () => undefined }], { queueLimit: 2 });
    for (const id of ['1', '2', '3', '4']) dispatcher.dispatch(testAlert({ id }));
    expect(dispatcher.stats().stuck).toEqual({ sent: 0, failed: 0, retries: 0, dropped: 1, queued: 2 });
  });
});
