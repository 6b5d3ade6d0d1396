import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { verifyPassword } from './password-hash.js';

export interface ApiAuthOptions {
  /** Bearer token; empty means none. */
  token: string;
  /** user -> scrypt hash. */
  users: Record<string, string>;
}

const MAX_REMEMBERED = 256;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** True when authentication is configured (a token or at least one user). */
export function authConfigured(options: ApiAuthOptions): boolean {
  return options.token !== '' || Object.keys(options.users).length > 0;
}

/**
 * Checks `Authorization: Bearer <token>` or `Basic <user:password>` on every
 * request it guards; answers 401 otherwise. Without configured credentials it
 * lets everything through (loopback only: startWebServer refuses otherwise).
 */
export function apiAuth(options: ApiAuthOptions): MiddlewareHandler {
  const tokenDigest = options.token === '' ? null : digest(options.token);
  // scrypt is slow on purpose: remember headers that were already verified.
  const verified = new Set<string>();

  async function check(header: string | undefined): Promise<boolean> {
    if (!header) return false;
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'bearer' && tokenDigest) return timingSafeEqual(digest(value), tokenDigest);
    if (scheme !== 'basic') return false;
    const key = digest(header).toString('hex');
    if (verified.has(key)) return true;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const hash = Object.hasOwn(options.users, user) ? options.users[user] : undefined;
    if (hash === undefined || !(await verifyPassword(decoded.slice(colon + 1), hash))) return false;
    if (verified.size >= MAX_REMEMBERED) verified.clear();
    verified.add(key);
    return true;
  }

  return async function apiAuth(c, next) {
    if (!authConfigured(options) || (await check(c.req.header('authorization')))) {
      await next();
      return;
    }
    c.header('WWW-Authenticate', 'Bearer realm="honeyscope"');
    return c.json({ error: 'Authentication required: send Authorization: Bearer <token> or Basic <user:password>' }, 401);
  };
}
