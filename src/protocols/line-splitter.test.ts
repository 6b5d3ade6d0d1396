import { describe, it, expect } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function feed(splitter: LineSplitter, ...chunks: string[]) {
  return chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk, 'latin1')));
}

describe('LineSplitter', () => {
  it('push() splits CRLF and bare LF lines', () => {
    const splitter = new LineSplitter({ maxLineBytes: 100 });
    expect(feed(splitter, 'EHLO a\r\nMAIL FROM:<x>\nQUIT\r\n')).toEqual([
      { text: 'EHLO a', bytes: 6, truncated: false, terminated: true },
      { text: 'MAIL FROM:<x>', bytes: 13, truncated: false, terminated: true },
      { text: 'QUIT', bytes: 4, truncated: false, terminated: true },
    ]);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('push() joins lines split across chunks, even between CR and LF', () => {
    const splitter = new LineSplitter({ maxLineBytes: 100 });
    expect(feed(splitter, 'EH', 'LO test', '.com\r')).toEqual([]);
    expect(splitter.pendingBytes).toBe(14);
    expect(feed(splitter, '\nNO', 'OP\r\n')).toEqual([
      { text: 'EHLO test.com', bytes: 13, truncated: false, terminated: true },
      { text: 'NOOP', bytes: 4, truncated: false, terminated: true },
    ]);
  });

  it('push() truncates long lines but counts every byte', () => {
    const splitter = new LineSplitter({ maxLineBytes: 4 });
    expect(feed(splitter, 'abcdefgh', 'ij\r\nabcd\r\nabcde\n')).toEqual([
      { text: 'abcd', bytes: 10, truncated: true, terminated: true },
      { text: 'abcd', bytes: 4, truncated: false, terminated: true },
      { text: 'abcd', bytes: 5, truncated: true, terminated: true },
    ]);
  });

  it('push() keeps memory bounded for an endless line', () => {
    const splitter = new LineSplitter({ maxLineBytes: 16 });
    const chunk = Buffer.alloc(65536, 0x41);
    for (let i = 0; i < 64; i++) expect(splitter.push(chunk)).toEqual([]);
    expect(splitter.pendingBytes).toBe(64 * 65536);
    expect(splitter.flush()).toEqual({ text: 'A'.repeat(16), bytes: 64 * 65536, truncated: true, terminated: false });
  });

  it('flush() returns the unfinished line once, keeping a trailing CR', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    feed(splitter, 'QUIT\r');
    expect(splitter.flush()).toEqual({ text: 'QUIT\r', bytes: 5, truncated: false, terminated: false });
    expect(splitter.flush()).toBeUndefined();
  });

  it('keeps every byte as Latin-1', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    const [line] = splitter.push(Buffer.from([0xff, 0x00, 0x80, 0x0a]));
    expect(Buffer.from(line?.text ?? '', 'latin1').toString('hex')).toBe('ff0080');
  });

  it('rejects a maxLineBytes that is not a positive integer', () => {
    expect(() => new LineSplitter({ maxLineBytes: 0 })).toThrow(
      new RangeError('Expected maxLineBytes to be an integer greater than 0 but found 0'),
    );
  });
});
