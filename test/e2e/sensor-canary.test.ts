import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net, { createServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { startTestSensor, type TestSensor } from '../helpers/sensor.js';
import { connectClient, exchange, forwardOut } from '../helpers/ssh2-client.js';
import { waitForEvents } from '../helpers/events.js';

/**
 * The one rule that may never break: a bot's tunnel never becomes a real
 * outbound connection. Real listeners on loopback (v4 and v6), named as the
 * destination, must receive nothing, whichever emulator plays the far side;
 * and no socket of this process may connect anywhere for private or public
 * destinations.
 */
const canaries: Server[] = [];
let accepted = 0;
let port4 = 0;
let port6 = 0;
const connects: string[] = [];
const realConnect = net.Socket.prototype.connect;

async function canary(host: string): Promise<number> {
  const server = createServer((socket) => {
    accepted += 1;
    socket.destroy();
  });
  server.listen(0, host);
  await once(server, 'listening');
  canaries.push(server);
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  port4 = await canary('127.0.0.1');
  port6 = await canary('::1');
});
afterAll(async () => {
  for (const server of canaries) server.close();
});

const PAYLOADS: Record<string, string> = {
  smtp: 'EHLO test.com\r\nMAIL FROM:<a@b.c>\r\n',
  http: 'GET / HTTP/1.1\r\nHost: canary.test\r\n\r\n',
  tls: '\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00',
  raw: 'hello canary\r\n',
};

describe.each(['smtp', 'http', 'tls', 'raw'] as const)('the %s emulator', (kind) => {
  let sensor: TestSensor;
  let sensorPort = 0;

  beforeEach(async () => {
    const ports = [port4, port6, 25, 80, 443, 28125];
    const tunnels =
      kind === 'raw' ? { smtpPorts: [25], httpPorts: [80], tlsPorts: [443] } : { smtpPorts: kind === 'smtp' ? ports : [], httpPorts: kind === 'http' ? ports : [], tlsPorts: kind === 'tls' ? ports : [] };
    sensor = await startTestSensor({ tunnels: { ...tunnels, idleTimeoutMs: 500 } });
    sensorPort = sensor.port;
    connects.length = 0;
    net.Socket.prototype.connect = function spy(this: net.Socket, ...args: unknown[]) {
      const opts = args[0];
      const port = typeof opts === 'object' && opts !== null ? (opts as { port?: number }).port : opts;
      if (Number(port) !== sensorPort) connects.push(JSON.stringify(opts));
      return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
  });
  afterEach(async () => {
    net.Socket.prototype.connect = realConnect;
    await sensor.dispose();
  });

  it('never connects to a loopback canary, v4 or v6, or to private and public targets', async () => {
    const client = await connectClient(sensorPort);
    const targets: Array<[string, number]> = [
      ['127.0.0.1', port4],
      ['::1', port6],
      ['localhost', port4],
      ['10.1.2.3', kind === 'raw' ? 28125 : port4],
      ['192.168.1.1', port4],
      ['93.184.216.34', kind === 'smtp' ? 25 : kind === 'http' ? 80 : kind === 'tls' ? 443 : 28125],
    ];
    for (const [host, port] of targets) {
      const stream = await forwardOut(client, host, port);
      await exchange(stream, PAYLOADS[kind]!, 300);
      stream.close();
    }
    client.end();
    const events = await waitForEvents(sensor.logPath, (ev) => ev.filter((e) => e.eventid === 'honeyscope.tunnel.closed').length === targets.length);
    expect(events.filter((e) => e.eventid === 'cowrie.direct-tcpip.request')).toHaveLength(targets.length);
    expect(events.filter((e) => e.eventid === 'honeyscope.tunnel.closed').every((e) => e.emulator === kind)).toBe(true);
    expect(accepted).toBe(0);
    expect(connects).toEqual([]);
  });
});
