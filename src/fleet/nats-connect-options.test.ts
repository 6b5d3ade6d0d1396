import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { natsConnectOptions, redactNatsUrl, sensorSubject, type FleetConfig } from './nats-connect-options.js';

function fleet(overrides: Record<string, unknown>): FleetConfig {
  return loadConfig({ overrides: { fleet: overrides } }).fleet;
}

describe('natsConnectOptions()', () => {
  it('maps servers, user and password, and TLS files', () => {
    const options = natsConnectOptions(fleet({ url: 'nats://a:4222, nats://b:4222', user: 'sensor', password: 's3cret', tls: true, tlsCa: '/etc/ca.pem', tlsCert: '/etc/c.pem', tlsKey: '/etc/k.pem' }), 'n');
    expect(options).toMatchObject({ servers: ['nats://a:4222', 'nats://b:4222'], user: 'sensor', pass: 's3cret', tls: { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/k.pem' }, maxReconnectAttempts: -1 });
  });

  it('maps a token and leaves TLS off by default', () => {
    const options = natsConnectOptions(fleet({ url: 'nats://a:4222', token: 't0k' }), 'n');
    expect(options.token).toBe('t0k');
    expect(options.tls).toBeUndefined();
  });

  it('refuses an empty URL and a token together with a password', () => {
    expect(() => natsConnectOptions(fleet({}), 'n')).toThrow('Cannot connect to the fleet: "fleet.url" is empty; expected nats://HOST:PORT');
    expect(() => natsConnectOptions(fleet({ url: 'nats://a:1', token: 't', password: 'p' }), 'n')).toThrow(
      'Cannot connect to the fleet: set either "fleet.token" or "fleet.user" and "fleet.password", not both',
    );
  });
});

describe('fleet config', () => {
  it('rejects a URL that is not nats://', () => {
    expect(() => fleet({ url: 'http://a:4222' })).toThrow('Cannot load command line: "fleet.url" expected empty or nats://HOST:PORT (comma-separated), received "http://a:4222"');
  });
});

describe('redactNatsUrl()', () => {
  it('masks passwords and tokens in URLs', () => {
    expect(redactNatsUrl('nats://u:pw@a:4222,nats://tok@b:4222,nats://c:4222')).toBe('nats://u:***@a:4222,nats://***@b:4222,nats://c:4222');
  });
});

describe('sensorSubject()', () => {
  it('turns a sensor name into one subject token', () => {
    expect(sensorSubject('honeyscope.events', 'web-01.example.org')).toBe('honeyscope.events.web-01_example_org');
    expect(sensorSubject('p', 'a b*>')).toBe('p.a_b__');
  });
});
