import { describe, expect, it } from 'vitest';
import { fakeAddress } from './fake-address.js';

describe('fakeAddress()', () => {
  it('keeps IPv4 literals and answers localhost', () => {
    expect(fakeAddress('8.8.8.8')).toBe('8.8.8.8');
    expect(fakeAddress('localhost')).toBe('127.0.0.1');
  });

  it('gives a name the same public-looking address every time', () => {
    const address = fakeAddress('Example.COM.');
    expect(address).toBe(fakeAddress('example.com'));
    expect(address).toMatch(/^(23|34|52|93|104|142|151|185)\.\d+\.\d+\.\d+$/);
    expect(fakeAddress('other.example')).not.toBe(address);
  });

  it('refuses names that cannot exist', () => {
    expect(fakeAddress('nodots')).toBeUndefined();
    expect(fakeAddress('bad name.com')).toBeUndefined();
    expect(fakeAddress('999.1.1.1x')).toBeUndefined();
    expect(fakeAddress(`${'a'.repeat(300)}.com`)).toBeUndefined();
  });
});
