import { createServer, type Server as NetServer, type Socket, type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { ResolvedConfig } from '../config/schema.js';
import { splitHostPort } from '../config/sections/host-port.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import type { Logger } from '../lib/logger.js';
import { normalizeIp } from '../lib/normalize-ip.js';
import { AuthPolicy } from './auth-policy.js';
import { ByteBudget } from './byte-budget.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { loadHostKeys } from './host-keys.js';
import { SshConnection, type SensorShared } from './ssh-connection.js';
import { TtyRecorder } from './tty-recorder.js';
import { listenOn } from '../lib/listen-on.js';

export interface Sensor {
  /** Where it listens, e.g. { host: '127.0.0.1', port: 2222 }. */
  readonly address: { host: string; port: number };
  readonly openConnections: number;
  close(): Promise<void>;
}

/**
 * Starts the SSH honeypot: accepts TCP, applies the connection limits, and
 * hands each socket to ssh2 with our own per-connection handling.
 */
export async function startSensor(options: { config: ResolvedConfig; dispatcher: EventDispatcher; logger: Logger }): Promise<Sensor> {
  const { config, dispatcher, logger } = options;
  const hostKeys = await loadHostKeys(config.core.dataDir, config.sensor.hostKeyTypes);
  await TtyRecorder.prepare(config.core.dataDir);
  const shared: SensorShared = {
    config,
    dispatcher,
    logger,
    auth: new AuthPolicy(config.auth),
    budget: new ByteBudget(config.limits.memoryBudgetBytes),
  };
  const limiter = new ConnectionLimiter({ max: config.limits.maxConnections, maxPerIp: config.limits.maxConnectionsPerIp });
  const pending = new Map<string, SshConnection>();
  const open = new Set<SshConnection>();
  const sockets = new Set<Socket>();
  const drained: Array<() => void> = [];

  const ssh = new ssh2.Server({
    // Wrapped: ssh2 takes an already parsed key only as { key }.
    hostKeys: hostKeys.map((key) => ({ key })),
    ident: config.sensor.serverVersion.replace(/^SSH-2\.0-/, ''),
    ...(config.sensor.banner ? { banner: config.sensor.banner } : {}),
  });
  ssh.on('connection', (client, info) => {
    const key = `${info.ip}|${info.port}`;
    const connection = pending.get(key);
    pending.delete(key);
    if (!connection) {
      client.end();
      return;
    }
    connection.attach(client);
  });
  ssh.on('error', (err: Error) => logger.warn({ err: err.message }, 'ssh server error'));

  const server: NetServer = createServer({ noDelay: true }, (socket) => {
    const ip = normalizeIp(socket.remoteAddress);
    const connection = new SshConnection(shared, socket);
    const verdict = limiter.acquire(ip);
    if (verdict !== 'ok') {
      // As for every limit: the value this connection would have brought the count to.
      connection.refuse(verdict, (verdict === 'limits.maxConnectionsPerIp' ? limiter.from(ip) : limiter.total) + 1);
      return;
    }
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    pending.set(key, connection);
    open.add(connection);
    sockets.add(socket);
    connection.onClosed = () => {
      pending.delete(key);
      open.delete(connection);
      sockets.delete(socket);
      limiter.release(ip);
      if (open.size === 0) for (const resolve of drained.splice(0)) resolve();
    };
    connection.announce();
    ssh.injectSocket(socket);
  });
  server.on('error', (err) => logger.error({ err: err.message }, 'sensor listener error'));

  const { host, port } = splitHostPort(config.sensor.listen);
  await listenOn(server, host, port, 'sensor.listen');
  const address = server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port }, 'sensor listening');

  return {
    address: { host: address.address, port: address.port },
    get openConnections() {
      return open.size;
    },
    /** Stops listening, drops every connection and resolves once each has logged its close. */
    async close() {
      const allClosed = open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
      const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([allClosed, listenerClosed]);
    },
  };
}
