import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { once } from 'node:events';
import ssh2 from 'ssh2';
import { startTestSensor, type TestSensor } from '../helpers/sensor.js';
import { connectClient, forwardOut } from '../helpers/ssh2-client.js';
import { readEvents, waitForEvents } from '../helpers/events.js';

let sensor: TestSensor;

beforeAll(async () => {
  sensor = await startTestSensor({
    limits: { loginGraceMs: 1500, maxChannelsPerSession: 20, maxConnectionsPerIp: 8, maxBytesPerChannel: 256 * 1024, maxBytesPerSession: 1024 * 1024 },
    tunnels: { idleTimeoutMs: 2000 },
  });
});
afterAll(async () => {
  await sensor.dispose();
});

async function stillServes(): Promise<void> {
  const client = await connectClient(sensor.port);
  client.end();
}

function drainOrClose(stream: NodeJS.EventEmitter, isClosed: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (isClosed()) return resolve();
    stream.once('drain', () => resolve());
    stream.once('close', () => resolve());
    stream.once('end', () => resolve());
  });
}

function rawSocket(): ReturnType<typeof connect> {
  const socket = connect({ host: '127.0.0.1', port: sensor.port });
  socket.on('error', () => undefined);
  // Read whatever comes, so the server's close is seen.
  socket.resume();
  return socket;
}

describe('sensor under hostile input', () => {
  it('closes cleanly on garbage instead of SSH', async () => {
    const socket = rawSocket();
    await once(socket, 'connect');
    socket.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) & 0xff)));
    await once(socket, 'close');
    await stillServes();
  });

  it('logs an exec request of 100 KB (OpenSSH takes packets to 256 KB), cut at shell.maxInputBytes', async () => {
    const client = await connectClient(sensor.port);
    const command = `echo ${'QUFB'.repeat(25_000)} | base64 -d > /tmp/p`;
    const exit = await new Promise<number>((resolve, reject) =>
      client.exec(command, (err, ch) => {
        if (err) return reject(err);
        ch.on('exit', (code: number) => resolve(code)).resume();
      }),
    );
    client.end();
    expect(exit).toBe(0);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.command.input' && String(e.input).startsWith('echo QUFB')));
    const input = events.find((e) => e.eventid === 'cowrie.command.input' && String(e.input).startsWith('echo QUFB'));
    expect(String(input?.input)).toBe(command.slice(0, 16_384));
    expect(events.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'shell.maxInputBytes' && e.session === input?.session)).toBe(true);
  });

  it('closes cleanly on a malformed binary packet after a valid ident', async () => {
    const socket = rawSocket();
    await once(socket, 'connect');
    socket.write('SSH-2.0-evil\r\n');
    socket.write(Buffer.from([0, 0, 0, 12, 4, 20, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0]));
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3]));
    await once(socket, 'close');
    await stillServes();
  });

  it('times out a client that stalls mid-handshake and logs the limit', async () => {
    const socket = rawSocket();
    await once(socket, 'connect');
    socket.write('SSH-2.0-staller\r\n');
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.loginGraceMs'));
    const limit = events.find((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.loginGraceMs')!;
    expect(events.some((e) => e.session === limit.session && e.eventid === 'cowrie.client.version' && e.version === 'SSH-2.0-staller')).toBe(true);
  });

  it('caps channels per session: 1000 tunnel requests, 20 accepted, the rest refused', async () => {
    const client = await connectClient(sensor.port);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        forwardOut(client, '198.51.100.1', 28125).then(
          (stream) => {
            stream.close();
            return true;
          },
          () => false,
        ),
      ),
    );
    client.end();
    expect(results.filter(Boolean)).toHaveLength(20);
    await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.maxChannelsPerSession'));
    await stillServes();
  });

  it('keeps at most maxBytesPerChannel of a 100 MB flood and closes the tunnel', async () => {
    const client = await connectClient(sensor.port);
    const stream = await forwardOut(client, '198.51.100.2', 28125);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let sent = 0;
    let closed = false;
    stream.on('close', () => (closed = true));
    stream.on('end', () => (closed = true));
    stream.on('error', () => (closed = true));
    stream.resume();
    const rssBefore = process.memoryUsage().rss;
    while (!closed && sent < 100 * 1024 * 1024) {
      sent += chunk.length;
      if (!stream.write(chunk)) await drainOrClose(stream, () => closed);
    }
    client.end();
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.tunnel.closed' && e.dst_ip === '198.51.100.2'));
    const closedEvent = events.find((e) => e.eventid === 'honeyscope.tunnel.closed' && e.dst_ip === '198.51.100.2')!;
    expect(closedEvent.truncated).toBe(true);
    const kept = events
      .filter((e) => e.eventid === 'cowrie.direct-tcpip.data' && e.dst_ip === '198.51.100.2')
      .reduce((n, e) => n + Buffer.from(String(e.data_b64), 'base64').length, 0);
    expect(kept).toBeLessThanOrEqual(256 * 1024);
    expect(sent).toBeLessThan(100 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    await stillServes();
  });

  it('ends a shell flooded past maxBytesPerSession', async () => {
    const client = await connectClient(sensor.port);
    const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) => client.shell({ term: 'xterm' }, (err, ch) => (err ? reject(err) : resolve(ch))));
    channel.on('data', () => undefined);
    let closed = false;
    channel.on('close', () => (closed = true));
    const chunk = Buffer.alloc(32 * 1024, 0x61);
    for (let i = 0; i < 200 && !closed; i += 1) {
      if (!channel.write(chunk)) await drainOrClose(channel, () => closed);
    }
    if (!closed) await once(channel, 'close');
    client.end();
    await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.maxBytesPerSession'));
    await stillServes();
  });

  it('refuses connections past maxConnectionsPerIp and logs why', async () => {
    const sockets = Array.from({ length: 12 }, () => rawSocket());
    await Promise.all(sockets.map((s) => once(s, 'connect')));
    const refused = (await waitForEvents(sensor.logPath, (ev) => ev.filter((e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.maxConnectionsPerIp').length >= 4)).filter(
      (e) => e.eventid === 'honeyscope.session.limit' && e.limit === 'limits.maxConnectionsPerIp',
    );
    // The count each refused connection would have made: one past the limit of 8.
    expect(new Set(refused.map((e) => e.value))).toEqual(new Set([9]));
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
    await stillServes();
    expect(readEvents(sensor.logPath).filter((e) => e.eventid === 'cowrie.session.connect').length).toBeGreaterThan(12);
  });
});

describe('attacker-chosen user names', () => {
  it.each(['<script>window.__pwned=1;alert(1)</script>', '../../etc', 'a/b', 'x:0:0:root:/root:/bin/bash\nevil', '\u0000\u00ff'])('give a working shell for %j and keep the sensor up', async (username) => {
    const client = await connectClient(sensor.port, { username });
    const output = await new Promise<string>((resolve, reject) =>
      client.exec('pwd; whoami; cat /etc/passwd | tail -n 1', (err, ch) => {
        if (err) return reject(err);
        let out = '';
        ch.on('data', (d: Buffer) => (out += d.toString()));
        ch.on('close', () => resolve(out));
      }),
    );
    client.end();
    expect(output.split('\n')[0]).toMatch(/^\/(root|home\/[a-z_][a-z0-9_-]*)$/);
    await stillServes();
  });
});
