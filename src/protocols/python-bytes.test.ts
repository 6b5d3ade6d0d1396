import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodePythonBytes, encodePythonBytes } from './python-bytes.js';
import { seededRandom } from '../lib/seeded-random.js';

/** [hex, repr] pairs printed by CPython 3.11 `repr(bytes.fromhex(hex))`. */
const PYTHON_VECTORS: Array<[string, string]> = [
  ["", "b''"],
  ["27", "b\"'\""],
  ["22", "b'\"'"],
  ["2722", "b'\\'\"'"],
  ["5c", "b'\\\\'"],
  ["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", "b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'"],
  ["69742773", "b\"it's\""],
  ["007f80ff090a0d0b0c", "b'\\x00\\x7f\\x80\\xff\\t\\n\\r\\x0b\\x0c'"],
  ["4dca182530bb1d6d132cded6237b2ed91e3f721fcb", "b'M\\xca\\x18%0\\xbb\\x1dm\\x13,\\xde\\xd6#{.\\xd9\\x1e?r\\x1f\\xcb'"],
  ["71174494", "b'q\\x17D\\x94'"],
  ["493c9d5c3460be31201e69fedaa0eee8b9997f5c7c2999fdafe593", "b'I<\\x9d\\\\4`\\xbe1 \\x1ei\\xfe\\xda\\xa0\\xee\\xe8\\xb9\\x99\\x7f\\\\|)\\x99\\xfd\\xaf\\xe5\\x93'"],
  ["253cd654af4dfad71427a0aeb3fee9232f8af2211f9ee491c5b10becb5563bfc1e6f93427ecbc8", "b\"%<\\xd6T\\xafM\\xfa\\xd7\\x14'\\xa0\\xae\\xb3\\xfe\\xe9#/\\x8a\\xf2!\\x1f\\x9e\\xe4\\x91\\xc5\\xb1\\x0b\\xec\\xb5V;\\xfc\\x1eo\\x93B~\\xcb\\xc8\""],
  ["2955e5cd8e46dc8ed4b7c2764d2a5a4d767706f85d8690024ad6bda3401be9c8", "b')U\\xe5\\xcd\\x8eF\\xdc\\x8e\\xd4\\xb7\\xc2vM*ZMvw\\x06\\xf8]\\x86\\x90\\x02J\\xd6\\xbd\\xa3@\\x1b\\xe9\\xc8'"],
  ["ccc935f6cd1f61226ae15338ae1a34004d33ba0d246ac04c81b1", "b'\\xcc\\xc95\\xf6\\xcd\\x1fa\"j\\xe1S8\\xae\\x1a4\\x00M3\\xba\\r$j\\xc0L\\x81\\xb1'"],
];

const COWRIE = JSON.parse(readFileSync(new URL('./testdata/cowrie-direct-tcpip.json', import.meta.url), 'utf8')) as {
  python3: string[];
  python2: string[];
};


describe('encodePythonBytes()', () => {
  it('matches CPython repr(bytes) byte for byte', () => {
    for (const [hex, repr] of PYTHON_VECTORS) {
      expect(encodePythonBytes(Buffer.from(hex, 'hex'))).toBe(repr);
    }
  });

  it('writes the Cowrie 3.0.12 capture value for an HTTP request', () => {
    expect(encodePythonBytes(Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'))).toBe(
      "b'GET / HTTP/1.1\\r\\nHost: example.com\\r\\n\\r\\n'",
    );
  });

  it('handles a payload larger than its internal flush size', () => {
    const data = Buffer.alloc(40_000, 0xff);
    const repr = encodePythonBytes(data);
    expect(repr.length).toBe(3 + 40_000 * 4);
    expect(decodePythonBytes(repr).equals(data)).toBe(true);
  });
});

describe('decodePythonBytes()', () => {
  it('inverts CPython repr(bytes)', () => {
    for (const [hex, repr] of PYTHON_VECTORS) {
      expect(decodePythonBytes(repr).toString('hex')).toBe(hex);
    }
  });

  it('round-trips random bytes', () => {
    const random = seededRandom(42);
    for (let n = 0; n < 300; n++) {
      const data = Buffer.alloc(Math.floor(random() * 200));
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
      // Bias some cases towards quotes and backslashes, the tricky bytes.
      if (n % 3 === 0) data.fill(0x27, 0, Math.min(2, data.length));
      if (n % 5 === 0) data.fill(0x5c, data.length >> 1, (data.length >> 1) + 1);
      expect(decodePythonBytes(encodePythonBytes(data)).equals(data)).toBe(true);
    }
  });

  it('decodes Python 2 str reprs without a prefix', () => {
    expect(decodePythonBytes("'GET / HTTP/1.0\\r\\nHost: google.com\\r\\n\\r\\n'").toString('latin1')).toBe(
      'GET / HTTP/1.0\r\nHost: google.com\r\n\r\n',
    );
    expect(decodePythonBytes('"it\'s \\x00\\xff"').toString('hex')).toBe('6974277320' + '00ff');
  });

  it('decodes every escape form Python accepts', () => {
    expect(decodePythonBytes("b'\\a\\b\\f\\v\\0\\7\\101\\1012\\'\\\"\\\\'").toString('hex')).toBe(
      '07080c0b00074141322722' + '5c',
    );
    expect(decodePythonBytes("b'a\\qb'").toString('latin1')).toBe('a\\qb');
    expect(decodePythonBytes("b'a\\\nb'").toString('latin1')).toBe('ab');
  });

  it('encodes \\u escapes and non-ASCII characters of str literals as UTF-8', () => {
    expect(decodePythonBytes("u'caf\\xe9 \\u4e2d\\U0001F600'").toString('hex')).toBe(
      Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' \u4e2d\u{1F600}', 'utf8')]).toString('hex'),
    );
    expect(decodePythonBytes("'\u00e9'").toString('hex')).toBe('c3a9');
    expect(decodePythonBytes("b'\\u00e9'").toString('latin1')).toBe('\\u00e9');
  });

  it('decodes every data field of the Cowrie 3.0.12 capture and re-encodes it identically', () => {
    for (const value of COWRIE.python3) expect(encodePythonBytes(decodePythonBytes(value))).toBe(value);
    expect(decodePythonBytes(COWRIE.python3[0] ?? '').toString('latin1')).toBe('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
  });

  it('decodes every Python 2 data field of the kareiva 2018 logs', () => {
    for (const value of COWRIE.python2) {
      // Python 2 str and Python 3 bytes share the escaping rules: only the prefix differs.
      expect(encodePythonBytes(decodePythonBytes(value))).toBe('b' + value);
    }
    expect(decodePythonBytes(COWRIE.python2[0] ?? '').toString('latin1')).toBe('GET / HTTP/1.0\r\nHost: google.com\r\n\r\n');
  });

  it('rejects malformed literals naming the offset and what was expected', () => {
    expect(() => decodePythonBytes('')).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 0: expected an opening quote (\' or ") but found the end of input'));
    expect(() => decodePythonBytes('bx')).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 1: expected an opening quote (\' or ") but found "x"'));
    expect(() => decodePythonBytes("b'abc")).toThrow(new SyntaxError("Cannot decode Python bytes literal at offset 5: expected a closing ' but found the end of input"));
    expect(() => decodePythonBytes("b'ab'c")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 5: expected the end of input after the closing quote but found "c"'));
    expect(() => decodePythonBytes("b'\\x4'")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 4: expected two hex digits after \\x'));
    expect(() => decodePythonBytes("b'\\")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 3: expected an escape character after \\ but found the end of input'));
    expect(() => decodePythonBytes("b'\u00e9'")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 2: expected an ASCII character in a bytes literal but found U+00E9'));
    expect(() => decodePythonBytes("b'\\777'")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 3: expected an octal escape up to \\377 but found \\777'));
    expect(() => decodePythonBytes("'\\u12'")).toThrow(new SyntaxError('Cannot decode Python bytes literal at offset 3: expected 4 hex digits after \\u'));
  });
});
