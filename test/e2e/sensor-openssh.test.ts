import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSensor, type TestSensor } from '../helpers/sensor.js';
import { readEvents, waitForEvents, type LoggedEvent } from '../helpers/events.js';
import { finish, ssh, SSH_OPTIONS } from '../helpers/openssh.js';

let sensor: TestSensor;

beforeAll(async () => {
  sensor = await startTestSensor();
});
afterAll(async () => {
  await sensor.dispose();
});

function sessionEvents(session: string): LoggedEvent[] {
  return readEvents(sensor.logPath).filter((e) => e.session === session);
}

function sessionOf(events: LoggedEvent[], eventid: string, predicate: (e: LoggedEvent) => boolean = () => true): string {
  const event = events.find((e) => e.eventid === eventid && predicate(e));
  if (!event?.session) throw new Error(`no ${eventid} event`);
  return event.session;
}

describe('sensor with the real OpenSSH client', () => {
  it('refuses root/root and logs the failed login with client version and hassh', async () => {
    const result = await finish(ssh(sensor.port, 'root', [], 'true'));
    expect(result.code, result.stderr).not.toBe(0);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.login.failed' && e.password === 'root'));
    const session = sessionOf(events, 'cowrie.login.failed', (e) => e.password === 'root');
    await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.session === session && e.eventid === 'cowrie.session.closed'));
    const ids = sessionEvents(session).map((e) => e.eventid);
    expect(ids[0]).toBe('cowrie.session.connect');
    expect(ids).toContain('cowrie.client.version');
    expect(ids).toContain('cowrie.client.kex');
    expect(ids.at(-1)).toBe('cowrie.session.closed');
    const kex = sessionEvents(session).find((e) => e.eventid === 'cowrie.client.kex')!;
    expect(kex.hassh).toMatch(/^[0-9a-f]{32}$/);
    expect(String(sessionEvents(session).find((e) => e.eventid === 'cowrie.client.version')!.version)).toMatch(/^SSH-2\.0-OpenSSH_/);
  });

  it('accepts another password and runs an exec command', async () => {
    const result = await finish(ssh(sensor.port, 'S3cret!pw', [], 'uname -a'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Linux svr04 6\.1\.0-28-amd64 .* x86_64 GNU\/Linux\n$/);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.command.input' && e.input === 'uname -a'));
    const session = sessionOf(events, 'cowrie.command.input', (e) => e.input === 'uname -a');
    const ids = (await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.session === session && e.eventid === 'cowrie.session.closed')))
      .filter((e) => e.session === session)
      .map((e) => e.eventid);
    expect(ids).toEqual(expect.arrayContaining(['cowrie.login.success', 'cowrie.session.params', 'cowrie.command.input', 'cowrie.log.closed', 'cowrie.session.closed']));
    // As in Cowrie, nothing of the session comes after it closed: the TTY log's event comes first.
    expect(ids.at(-1)).toBe('cowrie.session.closed');
  });

  it('gives an interactive pty shell and records it', async () => {
    const child = ssh(sensor.port, 'hunter2', ['-tt']);
    const done = finish(child);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
    });
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(seen)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(/root@svr04:~# $/);
    child.stdin.write('whoami; notacommand --x\r');
    await until(/command not found/);
    child.stdin.write('exit\r');
    const result = await done;
    expect(result.stdout).toContain('root\r\n');
    expect(result.stdout).toContain('-bash: notacommand: command not found');
    const failedEvents = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.command.failed' && e.input === 'notacommand --x'));
    const failed = failedEvents.find((e) => e.eventid === 'cowrie.command.failed' && e.input === 'notacommand --x')!;
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.session.closed' && e.session === failed.session));
    expect(events.filter((e) => e.session === failed.session).map((e) => e.eventid).slice(-2)).toEqual(['cowrie.log.closed', 'cowrie.session.closed']);
    expect(failed.input).toBe('notacommand --x');
    expect(events.some((e) => e.eventid === 'cowrie.client.size' && e.session === failed.session)).toBe(true);
    const closed = events.find((e) => e.eventid === 'cowrie.log.closed' && e.session === failed.session)!;
    expect(closed.ttylog).toMatch(/^tty\/[0-9a-f]{64}$/);
  });

  it('answers an HTTP request sent through ssh -W and logs it without connecting out', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n\r\n';
    const result = await finish(ssh(sensor.port, 'x', ['-W', '93.184.216.34:80']), request);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 /);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.tunnel.http' && e.host === 'example.com'));
    const http = events.find((e) => e.eventid === 'honeyscope.tunnel.http' && e.host === 'example.com')!;
    const session = http.session!;
    const mine = sessionEvents(session);
    const request0 = mine.find((e) => e.eventid === 'cowrie.direct-tcpip.request')!;
    expect(request0).toMatchObject({ dst_ip: '93.184.216.34', dst_port: 80 });
    const data = mine.find((e) => e.eventid === 'cowrie.direct-tcpip.data')!;
    expect(data.data).toBe("b'GET / HTTP/1.1\\r\\nHost: example.com\\r\\nUser-Agent: curl/8.0\\r\\n\\r\\n'");
    expect(Buffer.from(String(data.data_b64), 'base64').toString()).toBe(request);
    expect(mine.some((e) => e.eventid === 'cowrie.direct-tcpip.ja4h')).toBe(true);
  });

  it('gets an SMTP dialogue past the 220 greeting through ssh -W', async () => {
    const child = ssh(sensor.port, 'x', ['-W', '198.51.100.25:25']);
    const done = finish(child);
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (/^220 /m.test(seen) && !seen.includes('EHLO-SENT')) {
        seen += 'EHLO-SENT';
        child.stdin.write('EHLO test.com\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nQUIT\r\n');
      }
    });
    const result = await done;
    expect(result.stdout).toMatch(/^220 /);
    expect(result.stdout).toMatch(/^250[ -]/m);
    expect(result.stdout).toMatch(/^221 /m);
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.tunnel.smtp' && e.ehlo === 'test.com'));
    const smtp = events.find((e) => e.eventid === 'honeyscope.tunnel.smtp' && e.ehlo === 'test.com')!;
    expect(smtp).toMatchObject({ dst_ip: '198.51.100.25', dst_port: 25 });
  });

  it('records the SNI of openssl s_client through ssh -L', async () => {
    const local = await freePort();
    const tunnel = ssh(sensor.port, 'x', ['-N', '-L', `127.0.0.1:${local}:203.0.113.44:443`]);
    try {
      await waitForListening(local);
      const client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${local}`, '-servername', 'secure.example.net'], { stdio: 'pipe' });
      client.stdin.end();
      await once(client, 'close');
      const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'honeyscope.tunnel.tls' && e.sni === 'secure.example.net'));
      const tls = events.find((e) => e.eventid === 'honeyscope.tunnel.tls' && e.sni === 'secure.example.net')!;
      expect(tls).toMatchObject({ dst_ip: '203.0.113.44', dst_port: 443 });
      expect(String(tls.ja4)).toMatch(/^t1[23]d/);
    } finally {
      tunnel.kill('SIGTERM');
      await once(tunnel, 'close');
    }
  });
});

describe('file uploads with the real scp client', () => {
  it.each([
    ['SCP', ['-O']],
    ['SFTP', []],
  ])('stores a file sent with %s and logs cowrie.session.file_upload', async (protocol, flags) => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-scp-'));
    const file = join(dir, 'upload.bin');
    const content = `payload for ${protocol} ${Date.now()}\n`;
    writeFileSync(file, content);
    const child = spawn('sshpass', ['-p', 'pw', 'scp', ...flags, ...SSH_OPTIONS, '-P', String(sensor.port), file, 'root@127.0.0.1:/root/upload.bin'], { stdio: 'pipe' });
    const result = await finish(child);
    rmSync(dir, { recursive: true, force: true });
    expect(result.code, result.stderr).toBe(0);
    const sha = createHash('sha256').update(content).digest('hex');
    const events = await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.eventid === 'cowrie.session.file_upload' && e.shasum === sha));
    const upload = events.find((e) => e.eventid === 'cowrie.session.file_upload' && e.shasum === sha)!;
    expect(upload).toMatchObject({ filename: 'upload.bin', destfile: '/root/upload.bin', outfile: `downloads/${sha}`, duplicate: false });
    expect(String(upload.message)).toBe(`${protocol} Uploaded file "upload.bin" to downloads/${sha}`);
    expect(readFileSync(join(sensor.dataDir, 'downloads', sha), 'utf8')).toBe(content);
    const session = (await waitForEvents(sensor.logPath, (ev) => ev.some((e) => e.session === upload.session && e.eventid === 'cowrie.session.closed'))).filter((e) => e.session === upload.session);
    // As Cowrie 3.0.12 (fixtures/cowrie/cowrie-3.0.12/capture.json): the upload before the close, and no command SFTP's client never typed.
    expect(session.at(-1)?.eventid).toBe('cowrie.session.closed');
    expect(session.filter((e) => e.eventid === 'cowrie.command.input').map((e) => e.input)).toEqual(protocol === 'SCP' ? ['scp -t /root/upload.bin'] : []);
  });
});

describe('SFTP with the real sftp client', () => {
  it("serves the shell's file system: lists it, downloads from it, and shows an upload in it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-sftp-'));
    writeFileSync(join(dir, 'bot.sh'), '#!/bin/sh\necho hi\n');
    const batch = ['ls /etc', `get /etc/hostname ${join(dir, 'hostname')}`, `put ${join(dir, 'bot.sh')} /tmp/bot.sh`, 'ls -l /tmp', 'get /nope', 'bye'].join('\n');
    // Commands on stdin rather than -b, which would turn password logins off.
    const child = spawn('sshpass', ['-p', 'pw', 'sftp', ...SSH_OPTIONS, '-P', String(sensor.port), 'root@127.0.0.1'], { stdio: 'pipe' });
    const result = await finish(child, `${batch}\n`);
    try {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/\bpasswd\b/);
      expect(result.stdout).toMatch(/^-rw-r--r-- .* bot\.sh$/m);
      expect(readFileSync(join(dir, 'hostname'), 'utf8')).toBe('svr04\n');
      expect(result.stderr).toContain('/nope');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Waits until something listens on 127.0.0.1:port, read from /proc/net/tcp (no probe connection). */
async function waitForListening(port: number): Promise<void> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + 10_000;
  while (!readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => l.includes(hex) && / 0A /.test(l))) {
    if (Date.now() > deadline) throw new Error(`ssh -L did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
