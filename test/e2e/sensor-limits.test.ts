import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { once } from 'node:events';
import ssh2 from 'ssh2';
import { startTestSensor, type TestSensor } from '../helpers/sensor.js';
import { connectClient, forwardOut } from '../helpers/ssh2-client.js';
import { waitForEvents } from '../helpers/events.js';

let sensor: TestSensor | undefined;
afterEach(async () => {
  await sensor?.dispose();
  sensor = undefined;
});

function limitEvents(limit: string) {
  return (ev: Array<Record<string, unknown>>) => ev.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === limit);
}

describe('sensor limits', () => {
  it('limits.maxConnections refuses connections past the total', async () => {
    sensor = await startTestSensor({ limits: { maxConnections: 3 } });
    const sockets = Array.from({ length: 5 }, () => connect({ host: '127.0.0.1', port: sensor!.port }).on('error', () => undefined).resume());
    await Promise.all(sockets.map((s) => once(s, 'connect')));
    const events = await waitForEvents(sensor.logPath, (ev) => ev.filter((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.maxConnections').length === 2);
    expect(events.filter((e) => e.eventid === 'cowrie.session.connect')).toHaveLength(5);
    expect(events.filter((e) => e.eventid === 'honeyscope.session.limit').map((e) => e.value)).toEqual([4, 4]);
    for (const s of sockets) s.destroy();
  });

  it('limits.maxAuthAttempts disconnects a brute-forcer after N passwords', async () => {
    sensor = await startTestSensor({ limits: { maxAuthAttempts: 3 }, auth: { userdb: ['*:x:!*'] } });
    const tried: string[] = [];
    await new Promise<void>((resolve) => {
      const c = new ssh2.Client();
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      c.connect({
        host: '127.0.0.1',
        port: sensor!.port,
        username: 'root',
        authHandler(_m, _p, next) {
          const password = `guess${tried.length}`;
          tried.push(password);
          if (tried.length > 10) return next(false as never);
          next({ type: 'password', username: tried.length % 2 ? 'root' : 'admin', password });
        },
      });
    });
    const events = await waitForEvents(sensor.logPath, limitEvents('limits.maxAuthAttempts'));
    expect(events.filter((e) => e.eventid === 'cowrie.login.failed').map((e) => e.username)).toEqual(['root', 'admin', 'root']);
  });

  it('limits.idleTimeoutMs closes a silent logged-in session', async () => {
    sensor = await startTestSensor({ limits: { idleTimeoutMs: 800 } });
    const client = await connectClient(sensor.port);
    const closed = once(client, 'close');
    await closed;
    await waitForEvents(sensor.logPath, limitEvents('limits.idleTimeoutMs'));
  });

  it('limits.sessionTimeoutMs ends a busy session at its total time', async () => {
    sensor = await startTestSensor({ limits: { sessionTimeoutMs: 1200, idleTimeoutMs: 60_000 } });
    const client = await connectClient(sensor.port);
    const closed = once(client, 'close');
    const timer = setInterval(() => client.exec('true', (err, ch) => (err ? undefined : ch.resume())), 200);
    await closed;
    clearInterval(timer);
    await waitForEvents(sensor.logPath, limitEvents('limits.sessionTimeoutMs'));
  });

  it('limits.memoryBudgetBytes drops tunnel data past the shared budget and keeps serving', async () => {
    sensor = await startTestSensor({ limits: { memoryBudgetBytes: 1024, maxBytesPerChannel: 1024 * 1024 } });
    const client = await connectClient(sensor.port);
    const stream = await forwardOut(client, '198.51.100.9', 28125);
    stream.resume();
    stream.write(Buffer.alloc(4096, 0x42));
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.tunnel.closed' && e.dst_ip === '198.51.100.9'));
    expect(events.find((e) => e.eventid === 'honeyscope.tunnel.closed' && e.dst_ip === '198.51.100.9')!.truncated).toBe(true);
    expect(events.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.memoryBudgetBytes')).toBe(true);
    client.end();
    (await connectClient(sensor.port)).end();
  });
});
