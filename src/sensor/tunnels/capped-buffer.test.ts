import { describe, it, expect } from 'vitest';
import { CappedBuffer } from './capped-buffer.js';

describe('CappedBuffer', () => {
  it('append() keeps bytes in order up to the cap and reports what it kept', () => {
    const buffer = new CappedBuffer(10);
    expect(buffer.append(Buffer.from('hello'))).toBe(5);
    expect(buffer.append(Buffer.from(' world'))).toBe(5);
    expect(buffer.append(Buffer.from('!'))).toBe(0);
    expect(buffer.bytes().toString()).toBe('hello worl');
    expect(buffer.full).toBe(true);
  });

  it('append() grows past its first allocation without losing bytes', () => {
    const buffer = new CappedBuffer(100_000);
    for (let i = 0; i < 10_000; i++) buffer.append(Buffer.from([i & 0xff]));
    expect(buffer.length).toBe(10_000);
    expect(buffer.bytes().every((byte, i) => byte === (i & 0xff))).toBe(true);
  });

  it('reset() keeps a copy of the rest, even a view of its own bytes', () => {
    const buffer = new CappedBuffer(100);
    buffer.append(Buffer.from('GET /a\r\n\r\nGET /b'));
    buffer.reset(buffer.bytes().subarray(10));
    expect(buffer.bytes().toString()).toBe('GET /b');
    buffer.reset();
    expect(buffer.length).toBe(0);
    expect(buffer.full).toBe(false);
  });
});
