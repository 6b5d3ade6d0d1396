import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config.js';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hs-config-'));
  const file = join(dir, 'honeyscope.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loadConfig()', () => {
  it('gives every option a default', () => {
    const config = loadConfig();
    expect(config.sensor.listen).toBe('127.0.0.1:2222');
    expect(config.sensor.serverVersion).toMatch(/^SSH-2\.0-OpenSSH_9\.2p1 Debian/);
    expect(config.auth.userdb).toContain('root:x:!root');
    expect(config.download.mode).toBe('off');
    expect(config.tunnels.smtpPorts).toEqual([25, 26, 587, 2525, 25000]);
  });

  it('reads a YAML file and keeps defaults for what it leaves out', () => {
    const file = configFile('sensor:\n  listen: 0.0.0.0:22\nshell:\n  hostname: web01\n');
    const config = loadConfig({ files: [file] });
    expect(config.sensor.listen).toBe('0.0.0.0:22');
    expect(config.shell.hostname).toBe('web01');
    expect(config.shell.kernel).toBe('6.1.0-28-amd64');
  });

  it('names the file, key, value and expectation of a wrong value', () => {
    const file = configFile('limits:\n  maxConnections: lots\n');
    expect(() => loadConfig({ files: [file] })).toThrow(
      `Cannot load config file "${file}": "limits.maxConnections" expected number, received "lots"`,
    );
  });

  it('names an unknown key and lists the known ones', () => {
    const file = configFile('download:\n  mod: fetch\n');
    expect(() => loadConfig({ files: [file] })).toThrow(
      `Cannot load config file "${file}": unknown key "download.mod"; expected one of mode, allow, maxBytes, timeoutMs, maxRedirects`,
    );
  });

  it('names a listen address that is not HOST:PORT', () => {
    expect(() => loadConfig({ overrides: { sensor: { listen: 'localhost' } } })).toThrow(
      'Cannot load command line: "sensor.listen" expected HOST:PORT (for example 127.0.0.1:2222 or [::1]:2222), received "localhost"',
    );
  });

  it('names a listen port past 65535 and a dotted quad that is no IPv4 address, before anything listens or resolves', () => {
    const file = configFile('sensor:\n  listen: 127.0.0.1:99999\n');
    expect(() => loadConfig({ files: [file] })).toThrow(`Cannot load config file "${file}": "sensor.listen" expected a port from 0 to 65535, received "127.0.0.1:99999"`);
    expect(() => loadConfig({ overrides: { web: { listen: '999.1.1.1:22' } } })).toThrow(
      'Cannot load command line: "web.listen" expected an IPv4 address with parts from 0 to 255, received "999.1.1.1:22"',
    );
    expect(loadConfig({ overrides: { web: { listen: 'localhost:0' } } }).web.listen).toBe('localhost:0');
  });

  it('reports YAML syntax errors with the line', () => {
    const file = configFile('sensor:\n  listen: [unclosed\n');
    expect(() => loadConfig({ files: [file] })).toThrow(/^Cannot parse config file ".*" at line \d+/);
  });

  it('lets HONEYSCOPE_SECTION_KEY variables override files', () => {
    const file = configFile('sensor:\n  listen: 127.0.0.1:2200\n');
    const config = loadConfig({
      files: [file],
      env: {
        HONEYSCOPE_SENSOR_LISTEN: '127.0.0.1:2201',
        HONEYSCOPE_LIMITS_MAX_CONNECTIONS_PER_IP: '7',
        HONEYSCOPE_TUNNELS_SMTP_PORTS: '[25, 587]',
        HONEYSCOPE_CORE_SENSOR_NAME: '1234',
        PATH: '/usr/bin',
      },
    });
    expect(config.sensor.listen).toBe('127.0.0.1:2201');
    expect(config.limits.maxConnectionsPerIp).toBe(7);
    expect(config.tunnels.smtpPorts).toEqual([25, 587]);
    expect(config.core.sensorName).toBe('1234');
  });

  it('rejects an unknown variable in a known section', () => {
    expect(() => loadConfig({ env: { HONEYSCOPE_SENSOR_LISTN: 'x' } })).toThrow(
      /^Cannot load environment: unknown variable "HONEYSCOPE_SENSOR_LISTN"; expected HONEYSCOPE_SENSOR_ followed by one of LISTEN, SERVER_VERSION/,
    );
  });

  it('names the variable key when an environment value is wrong', () => {
    expect(() => loadConfig({ env: { HONEYSCOPE_LIMITS_MAX_CONNECTIONS: 'many' } })).toThrow(
      'Cannot load environment: "limits.maxConnections" expected number, received "many"',
    );
  });

  it('says a missing file is missing', () => {
    expect(() => loadConfig({ files: ['/nonexistent/honeyscope.yaml'] })).toThrow(
      'Cannot read config file "/nonexistent/honeyscope.yaml": ENOENT',
    );
  });
});
