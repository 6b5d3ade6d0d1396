import { describe, it, expect } from 'vitest';
import { tunnelsSection } from '../../config/sections/tunnels.js';
import { HTTP_MAX_REQUESTS, createHttpEmulator } from './http-emulator.js';
import { createRecordingTunnelIo } from './recording-tunnel-io.js';

const CONFIG = tunnelsSection.parse({ httpBody: '<p>hi</p>', fakePublicIp: '198.51.100.23' });
const DATE = 'Sat, 28 Nov 2026 17:04:59 GMT';

function setup() {
  const holder: { end: () => void } = { end: () => undefined };
  const io = createRecordingTunnelIo({ dstPort: 80, onClose: () => holder.end() });
  const emulator = createHttpEmulator(io, CONFIG, { now: () => new Date(DATE) });
  holder.end = () => emulator.end();
  emulator.start();
  return { io, emulator };
}

function response(status: string, type: string, body: string, connection: 'keep-alive' | 'close'): string {
  return `HTTP/1.1 ${status}\r\nServer: nginx\r\nDate: ${DATE}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ${connection}\r\n\r\n${body}`;
}

describe('createHttpEmulator()', () => {
  it("fingerprints Cowrie's captured request as Cowrie did and answers a small page", () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'));
    expect(io.events).toEqual([
      {
        eventid: 'cowrie.direct-tcpip.ja4h',
        fields: { ja4h: 'ge11nn010000_4740ae6347b0_000000000000_000000000000', dst_ip: '93.184.216.34', dst_port: 80 },
        message: 'JA4H fingerprint for forwarded HTTP to 93.184.216.34:80: ge11nn010000_4740ae6347b0_000000000000_000000000000',
      },
      {
        eventid: 'honeyscope.tunnel.http',
        fields: {
          dst_ip: '93.184.216.34',
          dst_port: 80,
          id: 0,
          method: 'GET',
          target: '/',
          version: 'HTTP/1.1',
          host: 'example.com',
          path: '/',
          headers: [['Host', 'example.com']],
          body_size: 0,
        },
        message: 'HTTP GET / for example.com to 93.184.216.34:80',
      },
    ]);
    expect(io.output()).toBe(response('200 OK', 'text/html', '<p>hi</p>', 'keep-alive'));
    expect(io.closed).toBe(false);
  });

  it('closes after answering the HTTP/1.0 requests of the 2018 logs', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET / HTTP/1.0\r\nHost: google.com\r\n\r\n'));
    expect(io.output()).toBe(response('200 OK', 'text/html', '<p>hi</p>', 'close'));
    expect(io.closed).toBe(true);
  });

  it("answers the seed's check-my-IP requests with the fake address in plain text", () => {
    for (const target of ['/ip.php?i=', '/showmyip.php', '/myip', '/api/ip']) {
      const { io, emulator } = setup();
      emulator.data(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: checker.example\r\nAccept-Language: ru-RU,ru\r\nConnection: close\r\n\r\n`));
      expect(io.output()).toBe(response('200 OK', 'text/plain', '198.51.100.23\n', 'close'));
    }
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET /make_url.php HTTP/1.1\r\nHost: short.example\r\n\r\n'));
    expect(io.output()).toContain('Content-Type: text/html');
  });

  it("waits for the body of the seed's crafted POST and counts it", () => {
    const { io, emulator } = setup();
    const head =
      'POST /mod_perl/ HTTP/1.1\r\nHost: short.example\r\nReferer: https://www.google.com/\r\nX-Requested-With: XMLHttpRequest\r\nCookie: permasession=145xxxx290|pscxxxxzxq\r\nContent-Length: 10\r\n\r\n';
    emulator.data(Buffer.from(head + 'url='));
    expect(io.events).toEqual([]);
    emulator.data(Buffer.from('abc'));
    emulator.data(Buffer.from('def'));
    expect(io.eventsOf('honeyscope.tunnel.http')[0]?.fields).toMatchObject({
      method: 'POST',
      path: '/mod_perl/',
      body_size: 10,
      headers: [
        ['Host', 'short.example'],
        ['Referer', 'https://www.google.com/'],
        ['X-Requested-With', 'XMLHttpRequest'],
        ['Cookie', 'permasession=145xxxx290|pscxxxxzxq'],
        ['Content-Length', '10'],
      ],
    });
    expect(io.eventsOf('cowrie.direct-tcpip.ja4h')[0]?.fields['ja4h']).toMatch(/^po11cr030000_/);
    expect(io.output()).toBe(response('200 OK', 'text/html', '<p>hi</p>', 'keep-alive'));
  });

  it('serves pipelined requests in order and honours Connection: close', () => {
    const { io, emulator } = setup();
    emulator.data(
      Buffer.from('GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nokHEAD /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n'),
    );
    expect(io.eventsOf('honeyscope.tunnel.http').map((e) => [e.fields['path'], e.fields['body_size']])).toEqual([
      ['/a', 0],
      ['/b', 2],
      ['/c', 0],
    ]);
    const page = response('200 OK', 'text/html', '<p>hi</p>', 'keep-alive');
    expect(io.output()).toBe(page + page + response('200 OK', 'text/html', '<p>hi</p>', 'close').replace('<p>hi</p>', ''));
    expect(io.closed).toBe(true);
  });

  it('reads a request head split into single bytes', () => {
    const { io, emulator } = setup();
    for (const byte of Buffer.from('GET /x HTTP/1.1\r\nHost: h\r\nUser-Agent: Mozilla/5.0 (Nintendo WiiU)\r\n\r\n')) emulator.data(Buffer.from([byte]));
    expect(io.eventsOf('honeyscope.tunnel.http').length).toBe(1);
    expect(io.eventsOf('cowrie.direct-tcpip.ja4h')[0]?.fields['ja4h']).toBe('ge11nn020000_3ed38b250d3d_000000000000_000000000000');
  });

  it('answers 400 and closes on bytes that are not HTTP, without events', () => {
    for (const garbage of ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'EHLO test.com\r\n', 'hello\n']) {
      const { io, emulator } = setup();
      emulator.data(Buffer.from(garbage, 'latin1'));
      expect(io.output().startsWith('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n')).toBe(true);
      expect(io.output()).toContain('<center><h1>400 Bad Request</h1></center>');
      expect(io.closed).toBe(true);
      expect(io.events).toEqual([]);
    }
  });

  it('reports and refuses a header block over 64 KiB', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n'));
    const filler = Buffer.from('X-Pad: ' + 'a'.repeat(1000) + '\r\n');
    for (let i = 0; i < 100 && !io.closed; i++) emulator.data(filler);
    expect(io.closed).toBe(true);
    expect(io.output().startsWith('HTTP/1.1 400 Request Header Or Cookie Too Large\r\n')).toBe(true);
    expect(io.eventsOf('honeyscope.tunnel.http')[0]?.fields['host']).toBe('h');
  });

  it('reports a request whose body never finished when the channel ends', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100000\r\n\r\n' + 'A'.repeat(32_000)));
    emulator.data(Buffer.alloc(32_768, 0x41));
    expect(io.events).toEqual([]);
    emulator.end();
    emulator.end();
    expect(io.eventsOf('honeyscope.tunnel.http').map((e) => e.fields['body_size'])).toEqual([64_768]);
    expect(io.eventsOf('cowrie.direct-tcpip.ja4h')[0]?.fields['ja4h']).toBe('po11nn020000_da57b7386cf1_000000000000_000000000000');
  });

  it('answers a chunked request at once and closes', () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'));
    expect(io.closed).toBe(true);
    expect(io.eventsOf('honeyscope.tunnel.http')[0]?.fields['body_size']).toBe(10);
  });

  it('refuses CONNECT and a bad Content-Length with 400', () => {
    for (const text of ['CONNECT smtp.example:25 HTTP/1.1\r\n\r\n', 'POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n']) {
      const { io, emulator } = setup();
      emulator.data(Buffer.from(text));
      expect(io.output().startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
      expect(io.closed).toBe(true);
      expect(io.eventsOf('honeyscope.tunnel.http').length).toBe(1);
    }
  });

  it(`closes a keep-alive tunnel after ${HTTP_MAX_REQUESTS} requests`, () => {
    const { io, emulator } = setup();
    emulator.data(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n'.repeat(HTTP_MAX_REQUESTS + 5)));
    expect(io.eventsOf('honeyscope.tunnel.http').length).toBe(HTTP_MAX_REQUESTS);
    expect(io.output().match(/Connection: close/g)?.length).toBe(1);
    expect(io.closed).toBe(true);
  });

  it('stays linear when a hostile client trickles 64 KiB of header lines one byte at a time', () => {
    const { io, emulator } = setup();
    const data = Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.from('a:\n'.repeat(22_000))]);
    const started = performance.now();
    for (let i = 0; i < data.length && !io.closed; i++) emulator.data(data.subarray(i, i + 1));
    // Quadratic re-parsing took minutes here; linear work takes well under a second.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(io.output().startsWith('HTTP/1.1 400 Request Header Or Cookie Too Large\r\n')).toBe(true);
  });
});
