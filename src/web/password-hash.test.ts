import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.js';

describe('hashPassword()', () => {
  it('makes a salted scrypt hash that verifyPassword() accepts only for the same password', async () => {
    const hash = await hashPassword('s3cret');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await hashPassword('s3cret')).not.toBe(hash);
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret!', hash)).toBe(false);
  });

  it('verifyPassword() rejects a malformed hash with a SyntaxError', async () => {
    await expect(verifyPassword('x', 'md5$abc')).rejects.toThrow(new SyntaxError('Cannot parse password hash "md5$abc...": expected scrypt$N$r$p$salt$hash'));
  });
});
