import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/schema.js';
import { HoneyscopeError } from '../lib/errors.js';
import { checkUserDb, parseUserDb, type UserDbRule } from './userdb.js';

const MAX_TRACKED_IPS = 100_000;

/**
 * Decides password logins: the userdb, and optionally "let this IP in after N
 * failures" (Cowrie's AuthRandom idea, deterministic here). Per-IP counters are
 * bounded so a scan from many addresses cannot grow memory without end.
 */
export class AuthPolicy {
  readonly #rules: UserDbRule[];
  readonly #acceptAfter: number;
  readonly #failures = new Map<string, number>();

  constructor(config: ResolvedConfig['auth']) {
    this.#rules = config.userdbFile ? loadUserDbFile(config.userdbFile) : configured(() => parseUserDb(config.userdb));
    this.#acceptAfter = config.acceptAfterFailures;
  }

  check(ip: string, username: string, password: string): boolean {
    if (checkUserDb(this.#rules, username, password)) return true;
    if (this.#acceptAfter === 0) return false;
    const failures = (this.#failures.get(ip) ?? 0) + 1;
    if (failures > this.#acceptAfter) {
      this.#failures.delete(ip);
      return true;
    }
    if (!this.#failures.has(ip) && this.#failures.size >= MAX_TRACKED_IPS) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
    this.#failures.set(ip, failures);
    return false;
  }
}

function loadUserDbFile(path: string): UserDbRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot read "auth.userdbFile" "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return configured(() => parseUserDb(text.split('\n'), `"${path}"`));
}

/** The parser's SyntaxError (which names the key or file and the line) as a configuration error: one line, no stack. */
function configured(parse: () => UserDbRule[]): UserDbRule[] {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SyntaxError) throw new HoneyscopeError('HS_CONFIG_INVALID', err.message, { cause: err });
    throw err;
  }
}
