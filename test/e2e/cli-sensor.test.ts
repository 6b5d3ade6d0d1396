import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, spawnCli } from '../helpers/cli.js';
import { waitForEvents } from '../helpers/events.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

describe('honeyscope CLI', () => {
  it('prints help for the program and every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) {
      expect(top.stdout).toContain(name);
      const help = await runCli([name, '--help']);
      expect(help.code, `${name} --help`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: honeyscope ${name}`));
    }
  }, 180_000);

  it('stops on a wrong config value naming the file, key, value and expectation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'limits:\n  maxConnectionsPerIp: -3\n');
    const result = await runCli(['sensor', '--config', file, '--data', dir]);
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`honeyscope: Cannot load config file "${file}": "limits.maxConnectionsPerIp" Too small: expected number to be >=1, received -3\n`);
  });

  it('runs the sensor, which logs to DATA/log/cowrie.json what simulate does to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-cli-'));
    const sensor = spawnCli(['sensor', '--data', dir, '--listen', '127.0.0.1:0'], { env: { HONEYSCOPE_SENSOR_HOST_KEY_TYPES: '[ed25519]', HONEYSCOPE_SENSOR_AUTH_FAIL_DELAY_MS: '10' } });
    try {
      let out = '';
      sensor.stdout.on('data', (d: Buffer) => (out += d.toString()));
      while (!/listening on 127\.0\.0\.1:(\d+)/.test(out)) await once(sensor.stdout, 'data');
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(out)![1]!;
      const sim = await runCli(['simulate', '--target', `127.0.0.1:${port}`, '--count', '3', '--tunnels', '3', '--sources', '2', '--json']);
      expect(sim.code, sim.stderr).toBe(0);
      expect(JSON.parse(sim.stdout)).toMatchObject({ bots: 3, loggedIn: 3, tunnels: 9, errors: 0 });
      const events = await waitForEvents(join(dir, 'log', 'cowrie.json'), (ev) => ev.filter((e) => e.eventid === 'cowrie.session.closed').length >= 3);
      expect(events.filter((e) => e.eventid === 'cowrie.direct-tcpip.request')).toHaveLength(9);
      expect(new Set(events.map((e) => e.src_ip))).toEqual(new Set(['127.0.0.2', '127.0.0.3']));
    } finally {
      sensor.kill('SIGTERM');
      await once(sensor, 'close');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the main job, whose dashboard counts every event simulate caused as soon as the sensor logged them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-cli-'));
    const run = spawnCli(['run', '--data', dir, '--listen', '127.0.0.1:0', '--web-listen', '127.0.0.1:0'], {
      env: { HONEYSCOPE_SENSOR_HOST_KEY_TYPES: '[ed25519]', HONEYSCOPE_SENSOR_AUTH_FAIL_DELAY_MS: '10' },
    });
    try {
      let out = '';
      run.stdout.on('data', (d: Buffer) => (out += d.toString()));
      while (!/dashboard on (\S+)\//.test(out)) await once(run.stdout, 'data');
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(out)![1]!;
      const web = /dashboard on (\S+)\//.exec(out)![1]!;
      const overview = async (): Promise<{ events: number; sessions: number; attempts: number }> => (await fetch(`${web}/api/overview`)).json() as never;
      expect(await overview()).toMatchObject({ events: 0, attempts: 0 });
      const sim = await runCli(['simulate', '--target', `127.0.0.1:${port}`, '--count', '3', '--tunnels', '3', '--json']);
      expect(sim.code, sim.stderr).toBe(0);
      const events = await waitForEvents(join(dir, 'log', 'cowrie.json'), (ev) => ev.filter((e) => e.eventid === 'cowrie.session.closed').length >= 3);
      // Within the cache's lifetime and the store sink's buffering: the answer still counts all of them.
      expect(await overview()).toMatchObject({ events: events.length, sessions: 3, attempts: 9 });
    } finally {
      run.kill('SIGTERM');
      await once(run, 'close');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('exits with one line naming web.listen when the dashboard port is taken, the sensor stopped too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-cli-'));
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      // timeoutMs: a run that kept going would hang here rather than exit.
      const result = await runCli(['run', '--data', dir, '--listen', '127.0.0.1:0', '--web-listen', `127.0.0.1:${port}`], {
        env: { HONEYSCOPE_SENSOR_HOST_KEY_TYPES: '[ed25519]' },
        timeoutMs: 60_000,
      });
      expect(result.code).toBe(2);
      // Besides info-level diagnostics (pino's JSON lines), the one line and nothing else: no stack, no warning.
      expect(result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{"level":30,'))).toEqual([
        `honeyscope: Cannot listen on 127.0.0.1:${port} (web.listen): the address is already in use (another program, or another honeyscope, listens there)`,
      ]);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
