/** One parsed line of a Cowrie userdb: `user:x:password`, with `*`, `!` and `/regex/i`. */
export interface UserDbRule {
  user: Matcher;
  password: Matcher;
  allow: boolean;
}

type Matcher = (value: string) => boolean;

/**
 * Parses userdb lines (first match wins). `origin` names the file or config key
 * in errors; blank lines and `#` comments are skipped.
 */
export function parseUserDb(lines: readonly string[], origin = 'auth.userdb'): UserDbRule[] {
  const rules: UserDbRule[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const first = line.indexOf(':');
    const second = first === -1 ? -1 : line.indexOf(':', first + 1);
    if (first === -1 || second === -1) {
      throw new SyntaxError(`Cannot parse ${origin} line ${index + 1} "${line}": expected user:x:password`);
    }
    const user = line.slice(0, first);
    let password = line.slice(second + 1);
    const allow = !password.startsWith('!');
    if (!allow) password = password.slice(1);
    rules.push({ user: matcher(user, origin, index), password: matcher(password, origin, index), allow });
  });
  return rules;
}

function matcher(pattern: string, origin: string, index: number): Matcher {
  if (pattern === '*') return () => true;
  const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (re) {
    let regex: RegExp;
    try {
      regex = new RegExp(re[1]!, re[2]!.replace(/[^imsu]/g, ''));
    } catch (err) {
      throw new SyntaxError(`Cannot parse ${origin} line ${index + 1}: invalid regular expression ${pattern}`, { cause: err });
    }
    return (value) => regex.test(value);
  }
  return (value) => value === pattern;
}

/** True when the first rule matching user and password allows it; no match denies. */
export function checkUserDb(rules: readonly UserDbRule[], username: string, password: string): boolean {
  for (const rule of rules) {
    if (rule.user(username) && rule.password(password)) return rule.allow;
  }
  return false;
}
