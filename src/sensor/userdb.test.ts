import { describe, expect, it } from 'vitest';
import { DEFAULT_USERDB } from '../config/sections/auth.js';
import { checkUserDb, parseUserDb } from './userdb.js';
import { AuthPolicy } from './auth-policy.js';

describe('checkUserDb()', () => {
  const rules = parseUserDb(DEFAULT_USERDB);

  it('accepts any login except the default deny list, like Cowrie', () => {
    expect(checkUserDb(rules, 'root', 'root')).toBe(false);
    expect(checkUserDb(rules, 'root', '123456')).toBe(false);
    expect(checkUserDb(rules, 'root', 'MyHoneyPot')).toBe(false);
    expect(checkUserDb(rules, 'root', 'S3cret!pw')).toBe(true);
    expect(checkUserDb(rules, 'admin', 'root')).toBe(true);
  });

  it('takes the first matching rule and denies when none matches', () => {
    const db = parseUserDb(['# comment', '', 'pi:x:raspberry', 'pi:x:!*', 'oracle:x:*']);
    expect(checkUserDb(db, 'pi', 'raspberry')).toBe(true);
    expect(checkUserDb(db, 'pi', 'other')).toBe(false);
    expect(checkUserDb(db, 'oracle', '')).toBe(true);
    expect(checkUserDb(db, 'nobody', 'x')).toBe(false);
  });

  it('names the line of a malformed rule', () => {
    expect(() => parseUserDb(['root:x:*', 'rootpassword'])).toThrow('Cannot parse auth.userdb line 2 "rootpassword": expected user:x:password');
  });
});

describe('AuthPolicy', () => {
  it('lets an IP in after N failures when configured', () => {
    const policy = new AuthPolicy({ userdb: ['*:x:!*'], userdbFile: '', acceptAfterFailures: 2, publickey: true, keyboardInteractive: true });
    expect(policy.check('10.0.0.1', 'root', 'a')).toBe(false);
    expect(policy.check('10.0.0.1', 'root', 'b')).toBe(false);
    expect(policy.check('10.0.0.2', 'root', 'b')).toBe(false);
    expect(policy.check('10.0.0.1', 'root', 'c')).toBe(true);
  });

  it('turns a malformed rule into a one-line configuration error naming the key and line', () => {
    const make = () => new AuthPolicy({ userdb: ['root'], userdbFile: '', acceptAfterFailures: 0, publickey: true, keyboardInteractive: true });
    expect(make).toThrow(expect.objectContaining({ code: 'HS_CONFIG_INVALID', message: 'Cannot parse auth.userdb line 1 "root": expected user:x:password' }));
  });
});
