import { describe, it, expect } from 'vitest';
import { MAX_HTTP_HEADER_BYTES, parseHttpRequest } from './http-request.js';

function parse(text: string) {
  return parseHttpRequest(Buffer.from(text, 'latin1'));
}

describe('parseHttpRequest()', () => {
  it('parses the Cowrie capture request', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n')).toEqual({
      method: 'GET',
      target: '/',
      version: 'HTTP/1.1',
      headers: [['Host', 'example.com']],
      host: 'example.com',
      path: '/',
      complete: true,
      headerBytes: 37,
      bodyBytes: 0,
    });
  });

  it('keeps header order and case and splits the query off the path', () => {
    const req = parse(
      'GET /ip.php?i= HTTP/1.1\r\nHost: 2ip.ru\r\nUser-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)\r\nAccept-Language: ru-RU,ru\r\nhost: second\r\n\r\n',
    );
    expect(req?.path).toBe('/ip.php');
    expect(req?.target).toBe('/ip.php?i=');
    expect(req?.host).toBe('2ip.ru');
    expect(req?.headers.map(([name]) => name)).toEqual(['Host', 'User-Agent', 'Accept-Language', 'host']);
  });

  it('counts body bytes after the header block of a POST', () => {
    const req = parse('POST /mod_perl/ HTTP/1.1\r\nHost: x.example\r\nContent-Length: 5\r\n\r\nhello');
    expect(req?.complete).toBe(true);
    expect(req?.headerBytes).toBe(64);
    expect(req?.bodyBytes).toBe(5);
  });

  it('accepts bare LF line ends and HTTP/1.0', () => {
    const req = parse('GET / HTTP/1.0\nHost: google.com\n\n');
    expect(req).toMatchObject({ version: 'HTTP/1.0', host: 'google.com', complete: true, headerBytes: 33, bodyBytes: 0 });
  });

  it('reports an incomplete header block', () => {
    const req = parse('GET /x HTTP/1.1\r\nHost: a\r\nUser-Ag');
    expect(req).toMatchObject({ complete: false, headers: [['Host', 'a']], headerBytes: 33, bodyBytes: 0 });
  });

  it('takes the host and path from an absolute-form target and CONNECT', () => {
    expect(parse('GET http://user@check.example:8080/a/b?q#f HTTP/1.1\r\nHost: other\r\n\r\n')).toMatchObject({
      host: 'check.example:8080',
      path: '/a/b',
    });
    expect(parse('GET http://example.com HTTP/1.1\r\n\r\n')).toMatchObject({ host: 'example.com', path: '/' });
    expect(parse('CONNECT mail.example:25 HTTP/1.1\r\n\r\n')).toMatchObject({ host: 'mail.example:25', path: 'mail.example:25' });
  });

  it('joins folded header lines and skips lines without a colon', () => {
    const req = parse('GET / HTTP/1.1\r\nX-A: one\r\n  two\r\ngarbage line\r\n: empty name\r\nX-B:three\r\n\r\n');
    expect(req?.headers).toEqual([
      ['X-A', 'one two'],
      ['X-B', 'three'],
    ]);
  });

  it('keeps every byte of non-ASCII header values as Latin-1', () => {
    const data = Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nX-U: '), Buffer.from([0xd0, 0xb9, 0xff]), Buffer.from('\r\n\r\n')]);
    const value = parseHttpRequest(data)?.headers[0]?.[1] ?? '';
    expect(Buffer.from(value, 'latin1').equals(Buffer.from([0xd0, 0xb9, 0xff]))).toBe(true);
  });

  it('returns undefined for bytes that do not start an HTTP/1.x request', () => {
    for (const text of ['', 'GET / HTTP/1.1', 'EHLO test.com\r\n', 'GET /\r\n', 'GET / HTTP/2.0\r\n\r\n', '\x16\x03\x01\x00\xa5\x01', ' GET / HTTP/1.1\r\n', 'G\x00T / HTTP/1.1\r\n']) {
      expect(parse(text)).toBeUndefined();
    }
  });

  it('stops at 64 KiB of headers', () => {
    const filler = 'X-Pad: ' + 'a'.repeat(1000) + '\r\n';
    const req = parse('GET / HTTP/1.1\r\n' + filler.repeat(100) + '\r\n');
    expect(req?.complete).toBe(false);
    expect(req?.headerBytes).toBe(MAX_HTTP_HEADER_BYTES);
    expect(req?.headers.length).toBe(Math.floor((MAX_HTTP_HEADER_BYTES - 16) / filler.length));
  });

  it('returns undefined when the request line alone exceeds 64 KiB', () => {
    expect(parse('GET /' + 'a'.repeat(MAX_HTTP_HEADER_BYTES) + ' HTTP/1.1\r\n\r\n')).toBeUndefined();
  });

  it('parses a Buffer view into a larger pooled buffer', () => {
    const big = Buffer.from('xxxxGET /v HTTP/1.1\r\nHost: h\r\n\r\nyy');
    expect(parseHttpRequest(big.subarray(4))).toMatchObject({ path: '/v', host: 'h', bodyBytes: 2 });
  });
});
