import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodePythonBytes } from './python-bytes.js';
import { parseHttpRequest } from './http-request.js';
import { ja4h, type Ja4hVariant } from './ja4h.js';

const COWRIE = JSON.parse(readFileSync(new URL('./testdata/cowrie-direct-tcpip.json', import.meta.url), 'utf8')) as {
  ja4h: Array<{ data: string; ja4h: string }>;
};

function fingerprint(text: string, variant: Ja4hVariant = 'foxio'): string {
  const req = parseHttpRequest(Buffer.from(text, 'latin1'));
  if (req === undefined) throw new TypeError(`Expected an HTTP request in ${JSON.stringify(text)}`);
  return ja4h(req, { variant });
}

describe('ja4h()', () => {
  it('reproduces every value Cowrie 3.0.12 logged in the capture with the cowrie variant', () => {
    expect(COWRIE.ja4h.length).toBe(3);
    for (const { data, ja4h: expected } of COWRIE.ja4h) {
      const req = parseHttpRequest(decodePythonBytes(data));
      expect(req && ja4h(req, { variant: 'cowrie' })).toBe(expected);
    }
    expect(fingerprint('POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100000\r\n\r\nAAAA', 'cowrie')).toBe(
      'po11nn020000_da57b7386cf1_000000000000_000000000000',
    );
  });

  it('hashes header names in wire order and case per the FoxIO spec by default', () => {
    expect(fingerprint('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n')).toBe('ge11nn010000_4a823118b9ba_000000000000_000000000000');
    expect(fingerprint('POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 100000\r\n\r\nAAAA')).toBe(
      'po11nn020000_13f82037755a_000000000000_000000000000',
    );
  });

  it('lowercases and sorts cookie names and zeros the value hash in the cowrie variant', () => {
    expect(fingerprint('GET / HTTP/1.1\r\nCookie: Z=9; a=1\r\nHost: h\r\n\r\n', 'cowrie')).toBe(
      'ge11cn010000_4740ae6347b0_5580854b5248_000000000000',
    );
  });

  it('flags cookies and referer, counts headers without them and hashes cookie names and pairs sorted', () => {
    expect(
      fingerprint(
        'POST /mod_perl/ HTTP/1.1\r\nHost: x\r\nReferer: https://www.google.com/\r\nUser-Agent: u\r\nAccept-Language: en-US,en;q=0.9\r\nX-Requested-With: XMLHttpRequest\r\nCookie: permasession=145xxxx290|pscxxxxzxq\r\n\r\n',
      ),
    ).toBe('po11cr04enus_42328028aa64_20b45fe6ca7b_dd4ea6e6bec5');
    expect(fingerprint('GET / HTTP/1.0\r\nHost: h\r\nCookie: z=9; a=1\r\nAccept: */*\r\nCookie: b=\r\n\r\n')).toBe(
      'ge10cn020000_1af9d02f0bf7_a85c5fa504ed_a906be9c99c1',
    );
  });

  it('reduces Accept-Language to four characters of the first language', () => {
    expect(fingerprint('GET / HTTP/1.1\r\nAccept-Language: ru-RU,ru\r\n\r\n').slice(0, 12)).toBe('ge11nn01ruru');
    expect(fingerprint('GET / HTTP/1.1\r\nAccept-Language: de\r\n\r\n').slice(0, 12)).toBe('ge11nn01de00');
    expect(fingerprint('GET / HTTP/1.1\r\nAccept-Language: *\r\n\r\n').slice(0, 12)).toBe('ge11nn01*000');
  });

  it('caps the header count at 99 and hashes an empty header list as zeros', () => {
    const many = Array.from({ length: 120 }, (_, i) => `X-${i}: v\r\n`).join('');
    expect(fingerprint(`HEAD / HTTP/1.1\r\n${many}\r\n`).slice(0, 12)).toBe('he11nn990000');
    expect(fingerprint('GET / HTTP/1.1\r\n\r\n')).toBe('ge11nn000000_000000000000_000000000000_000000000000');
  });
});
