import { describe, expect, it } from 'vitest';
import { dispositionParam, MultipartIndexer, multipartBoundary } from './multipart-indexer.js';

const BODY = [
  'preamble ignored',
  '--XyZ',
  'Content-Disposition: form-data; name="title"',
  '',
  'hello',
  '--XyZ',
  'Content-Disposition: form-data; name="upload"; filename="a \\"q\\".bin"',
  'Content-Type: application/octet-stream',
  '',
  'bytes\r\n--XyNot-a-boundary\r\n-XyZ more',
  '--XyZ--',
  'epilogue',
].join('\r\n');

function index(body: string, chunk: number): ReturnType<MultipartIndexer['finish']> {
  const indexer = new MultipartIndexer('XyZ');
  const bytes = Buffer.from(body, 'latin1');
  for (let at = 0; at < bytes.length; at += chunk) indexer.push(bytes.subarray(at, at + chunk));
  return indexer.finish();
}

describe('MultipartIndexer', () => {
  it('finds every part and its content range whatever the chunk size', () => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const parts = index(BODY, size);
      expect(parts.map((p) => [p.name, p.filename, BODY.slice(p.start, p.end)])).toEqual([
        ['title', undefined, 'hello'],
        ['upload', 'a "q".bin', 'bytes\r\n--XyNot-a-boundary\r\n-XyZ more'],
      ]);
      expect(parts[1]!.headers['content-type']).toBe('application/octet-stream');
    }
  });

  it('refuses a body cut before the closing boundary', () => {
    expect(() => index(BODY.slice(0, BODY.indexOf('--XyZ--')), 5)).toThrow(new SyntaxError('Cannot parse the multipart body: it ends before the closing boundary'));
    expect(() => index('no boundary at all', 5)).toThrow(new SyntaxError('Cannot parse the multipart body: it ends before the first boundary'));
  });

  it('refuses a part header line without a colon', () => {
    expect(() => index('--XyZ\r\nbroken header\r\n\r\nx\r\n--XyZ--', 4)).toThrow(new SyntaxError('Cannot parse the multipart part header "broken header": expected "Name: value"'));
  });
});

describe('multipartBoundary()', () => {
  it('reads quoted and bare boundaries of multipart types only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeUndefined();
  });
});

describe('dispositionParam()', () => {
  it('does not mistake filename for name', () => {
    expect(dispositionParam('form-data; filename="f.txt"; name="n"', 'name')).toBe('n');
    expect(dispositionParam('form-data; name=bare', 'name')).toBe('bare');
  });
});
