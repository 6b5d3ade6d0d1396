import { mkdtemp, rm } from 'node:fs/promises';
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
