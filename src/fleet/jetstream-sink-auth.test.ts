import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, testFleetConfig, waitFor, type TestNatsServer } from '../../test/helpers/fleet.js';
import { createLogger } from '../lib/logger.js';
import { JetStreamSink } from './jetstream-sink.js';
import type { FleetConfig } from './nats-connect-options.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(args: string[]): Promise<TestNatsServer> {
  const nats = await startNatsServer(args);
  cleanups.push(() => nats.dispose());
  return nats;
}

async function openSink(fleet: FleetConfig): Promise<{ sink: JetStreamSink; log: () => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-fleet-auth-'));
  let log = '';
  const logger = createLogger({ level: 'trace', destination: { write: (s: string) => void (log += s) } });
  const sink = await JetStreamSink.open({ fleet, sensor: 'auth', spoolDir: join(dir, 'spool'), logger });
  cleanups.push(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { sink, log: () => log };
}

const EVENT = Object.freeze({ eventid: 'cowrie.session.connect', session: 'a1', timestamp: '2026-11-28T18:00:00.000000Z', sensor: 'auth', message: 'New connection' });

describe('JetStreamSink credentials', () => {
  it('publishes with a user and password and never logs the password', async () => {
    const nats = await server(['--user', 'sensor', '--pass', 'pw-Xy7-secret']);
    const { sink, log } = await openSink(testFleetConfig({ url: nats.url, user: 'sensor', password: 'pw-Xy7-secret' }));
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect');
    await sink.write(EVENT);
    expect(sink.stats().published).toBe(1);
    expect(log()).not.toContain('pw-Xy7-secret');
  });

  it('publishes with a token', async () => {
    const nats = await server(['--auth', 'tok-Qz9-secret']);
    const { sink, log } = await openSink(testFleetConfig({ url: nats.url, token: 'tok-Qz9-secret' }));
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect');
    await sink.write(EVENT);
    expect(sink.stats().published).toBe(1);
    expect(log()).not.toContain('tok-Qz9-secret');
  });

  it('publishes over TLS, verifying the server with fleet.tlsCa and presenting a client certificate', async () => {
    const pki = await mkdtemp(join(tmpdir(), 'hs-fleet-pki-'));
    cleanups.push(() => rm(pki, { recursive: true, force: true }));
    const f = (name: string) => join(pki, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=honeyscope test CA');
    // nats.js checks the name "localhost" for 127.0.0.1.
    for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
      await writeFile(f(`${name}.ext`), `${ext}\n`);
      openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '1', '-extfile', f(`${name}.ext`));
    }
    const nats = await server(['--tlsverify', '--tlscert', f('server.pem'), '--tlskey', f('server.key'), '--tlscacert', f('ca.pem')]);
    const { sink } = await openSink(testFleetConfig({ url: nats.url, tls: true, tlsCa: f('ca.pem'), tlsCert: f('client.pem'), tlsKey: f('client.key') }));
    await waitFor(() => sink.stats().connected, 10_000, 'the publisher to connect over TLS');
    await sink.write(EVENT);
    expect(sink.stats().published).toBe(1);
  });

  it('spools when the password is wrong, logging the failure without the password', async () => {
    const nats = await server(['--user', 'sensor', '--pass', 'right-one']);
    const { sink, log } = await openSink(testFleetConfig({ url: `nats://sensor:wrong-Pw-42@127.0.0.1:${nats.port}` }));
    await sink.write(EVENT);
    await waitFor(() => log().includes('cannot connect to the fleet broker'), 10_000, 'the connection failure to be logged');
    expect(sink.stats()).toMatchObject({ connected: false, spooled: 1 });
    expect(log()).not.toContain('wrong-Pw-42');
    expect(log()).toContain('nats://sensor:***@127.0.0.1');
  });
});
