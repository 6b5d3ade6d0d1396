import type { ConnectionOptions } from 'nats';
import type { ResolvedConfig } from '../config/schema.js';
import { HoneyscopeError } from '../lib/errors.js';

export type FleetConfig = ResolvedConfig['fleet'];

/**
 * The nats.js options for the fleet config: servers, credentials and TLS.
 * Reconnects forever (sensors spool meanwhile) and waits for a first
 * connection, so a sensor starts even while the broker is away.
 *
 * @throws {HoneyscopeError} HS_FLEET when no URL is set or both a password and a token are
 */
export function natsConnectOptions(fleet: FleetConfig, name: string): ConnectionOptions {
  if (fleet.url === '') throw new HoneyscopeError('HS_FLEET', 'Cannot connect to the fleet: "fleet.url" is empty; expected nats://HOST:PORT');
  if (fleet.token !== '' && (fleet.user !== '' || fleet.password !== '')) {
    throw new HoneyscopeError('HS_FLEET', 'Cannot connect to the fleet: set either "fleet.token" or "fleet.user" and "fleet.password", not both');
  }
  const options: ConnectionOptions = {
    servers: fleet.url.split(',').map((u) => u.trim()),
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    pingInterval: 10_000,
  };
  if (fleet.user !== '') options.user = fleet.user;
  if (fleet.password !== '') options.pass = fleet.password;
  if (fleet.token !== '') options.token = fleet.token;
  if (fleet.tls || fleet.tlsCa !== '' || fleet.tlsCert !== '') {
    options.tls = {
      ...(fleet.tlsCa !== '' ? { caFile: fleet.tlsCa } : {}),
      ...(fleet.tlsCert !== '' ? { certFile: fleet.tlsCert } : {}),
      ...(fleet.tlsKey !== '' ? { keyFile: fleet.tlsKey } : {}),
    };
  }
  return options;
}

/** The server list with any user:password in a URL masked, for logs. */
export function redactNatsUrl(url: string): string {
  return url.replace(/\/\/([^:@/,]*):[^@/,]*@/g, '//$1:***@').replace(/\/\/([^:@/,]+)@/g, '//***@');
}

/** A subject token for a sensor name: NATS subjects cannot hold spaces, dots or wildcards. */
export function sensorSubject(prefix: string, sensor: string): string {
  const token = sensor.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
  return `${prefix}.${token}`;
}
