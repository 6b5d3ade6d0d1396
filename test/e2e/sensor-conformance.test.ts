import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestSensor, type TestSensor } from '../helpers/sensor.js';
import { finish, ssh } from '../helpers/openssh.js';
import { readEvents, waitForEvents, type LoggedEvent } from '../helpers/events.js';
import { runSimulation } from '../../src/simulate/run-simulation.js';
import { EVENT_CATALOGUE } from '../../src/events/event-ids.js';

const FIXTURE = '/work/shared/fixtures/cowrie/cowrie-3.0.12/capture.json';
const cowrie: LoggedEvent[] = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LoggedEvent);

/** Formats a value must keep, by key, as Cowrie 3.0.12 writes them. */
const FORMATS: Record<string, RegExp> = {
  timestamp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
  session: /^[0-9a-f]{12}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  hassh: /^[0-9a-f]{32}$/,
  shasum: /^[0-9a-f]{64}$/,
  data: /^b(['"]).*\1$/s,
  ja4h: /^[a-z]{2}\d\d[cn][rn]\d{2}[0-9a-z]{4}_[0-9a-f]{12}_[0-9a-f]{12}_[0-9a-f]{12}$/,
};

function kind(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

let sensor: TestSensor;

beforeAll(async () => {
  sensor = await startTestSensor();
  await finish(ssh(sensor.port, 'root', [], 'true'));
  await finish(ssh(sensor.port, 'pw', ['-o', 'SetEnv=LANG=C.UTF-8'], 'uname -a; notacommand --x; echo hi > /tmp/x'));
  await finish(ssh(sensor.port, 'pw', ['-tt', '-o', 'SetEnv=LANG=C.UTF-8']), 'id\rexit\r');
  await finish(ssh(sensor.port, 'pw', ['-W', '93.184.216.34:80']), 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
  await runSimulation({ host: '127.0.0.1', port: sensor.port, count: 3, concurrency: 3, rate: 0, sources: 2, failures: 1, commands: 1, tunnels: 4, seed: 7, timeoutMs: 20_000 });
  await waitForEvents(sensor.logPath, (ev) => ev.filter((e) => e.eventid === 'cowrie.session.closed').length >= 7);
});
afterAll(async () => {
  await sensor.dispose();
});

describe('the event log against Cowrie 3.0.12', () => {
  it('emits only catalogued event ids', () => {
    for (const event of readEvents(sensor.logPath)) expect(Object.keys(EVENT_CATALOGUE)).toContain(event.eventid);
  });

  it('carries every field the Cowrie fixture has for the same eventid, with the same type and format', () => {
    const ours = readEvents(sensor.logPath);
    const compared = new Set<string>();
    for (const reference of cowrie) {
      const mine = ours.filter((e) => e.eventid === reference.eventid);
      if (mine.length === 0) continue;
      compared.add(reference.eventid);
      for (const event of mine) {
        for (const [key, value] of Object.entries(reference)) {
          if (key === 'url' && reference.eventid === 'cowrie.session.file_download') continue;
          expect(event, `${reference.eventid} lacks "${key}"`).toHaveProperty(key);
          expect(kind(event[key]), `${reference.eventid}.${key}`).toBe(kind(value));
          const format = FORMATS[key];
          if (format && typeof value === 'string' && format.test(value)) expect(String(event[key]), `${reference.eventid}.${key}`).toMatch(format);
        }
      }
    }
    expect([...compared].sort()).toEqual(
      expect.arrayContaining([
        'cowrie.client.kex', 'cowrie.client.size', 'cowrie.client.var', 'cowrie.client.version', 'cowrie.command.failed', 'cowrie.command.input',
        'cowrie.direct-tcpip.data', 'cowrie.direct-tcpip.ja4h', 'cowrie.direct-tcpip.request', 'cowrie.log.closed', 'cowrie.login.failed',
        'cowrie.login.success', 'cowrie.session.closed', 'cowrie.session.connect', 'cowrie.session.file_download', 'cowrie.session.params',
      ]),
    );
  });

  it("keeps Cowrie's key order: identity first, then fields, then eventid, sensor, uuid, timestamp, message", () => {
    for (const event of readEvents(sensor.logPath)) {
      const keys = Object.keys(event);
      expect(keys.slice(0, 6)).toEqual(['session', 'protocol', 'src_ip', 'src_port', 'dst_ip', 'dst_port']);
      expect(keys.slice(-5)).toEqual(['eventid', 'sensor', 'uuid', 'timestamp', 'message']);
    }
  });
});
