import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatSyslog } from './format-syslog.js';
import { createSyslogAlertSink } from './syslog-alert-sink.js';
import { testAlert } from './test-alert.js';

const EXPECTED = `<131>1 2026-11-28T17:03:34.815Z ${hostname()} honeyscope ${process.pid} alert [honeyscope@32473 rule="hs-intel-dns" level="10" kind="dns" src="127.0.0.1" indicator="bad.test" where="DNS::IN_REQUEST" sources="otx:\\"quoted\\"\\]" count="1" id="00000000-0000-4000-8000-000000000001"] DNS request for an indicator domain: bad.test`;

describe('formatSyslog()', () => {
  it('writes an RFC 5424 message with escaped structured data and severity from the level', () => {
    expect(formatSyslog(testAlert(), { facility: 16, hostname: hostname(), appName: 'honeyscope', procId: String(process.pid) })).toBe(EXPECTED);
  });
});

describe('createSyslogAlertSink()', () => {
  it('sends one datagram per alert over UDP', async () => {
    const server = createSocket('udp4');
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    const received = new Promise<string>((resolve) => server.once('message', (msg) => resolve(msg.toString())));
    const sink = createSyslogAlertSink({ host: '127.0.0.1', port: server.address().port, protocol: 'udp' });
    try {
      await sink.write(testAlert());
      expect(await received).toBe(EXPECTED);
    } finally {
      await sink.close();
      server.close();
    }
  });

  it('frames messages with octet counting over TCP and reconnects after the receiver drops', async () => {
    let data = '';
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (d: Buffer) => (data += d.toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const sink = createSyslogAlertSink({ host: '127.0.0.1', port, protocol: 'tcp' });
    try {
      await sink.write(testAlert());
      await sink.write(testAlert({ id: 'second' }));
      await waitFor(() => data.split('indicator domain: bad.test').length === 3);
      const frames: string[] = [];
      for (let rest = data; rest !== ''; ) {
        const space = rest.indexOf(' ');
        const length = Number(rest.slice(0, space));
        frames.push(rest.slice(space + 1, space + 1 + length));
        rest = rest.slice(space + 1 + length);
      }
      expect(frames).toEqual([EXPECTED, EXPECTED.replace('id="00000000-0000-4000-8000-000000000001"', 'id="second"')]);
      for (const s of sockets) s.destroy();
      await waitFor(() => sockets.every((s) => s.destroyed));
      await new Promise((resolve) => setTimeout(resolve, 50));
      data = '';
      await sink.write(testAlert()).catch(() => sink.write(testAlert()));
      await waitFor(() => data.includes('DNS request'));
      expect(sockets).toHaveLength(2);
    } finally {
      await sink.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects with the address when nothing listens over TCP', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const sink = createSyslogAlertSink({ host: '127.0.0.1', port, protocol: 'tcp' });
    await expect(sink.write(testAlert())).rejects.toThrow(`Cannot connect to syslog tcp://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    await sink.close();
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}
