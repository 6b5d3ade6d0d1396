const POSIX_NAME = /^[a-z_][a-z0-9_-]{0,30}\$?$/i;

/**
 * The emulated home directory of a login name. Bots log in with any bytes as
 * the user name (`/`, `..`, markup); only a name a real system could have gets
 * /home/NAME, anything else a plain /home/user, so no name can point the fake
 * filesystem somewhere else.
 */
export function homeDirectory(username: string): string {
  if (username === 'root') return '/root';
  return POSIX_NAME.test(username) ? `/home/${username}` : '/home/user';
}

/** The name /etc/passwd shows for the login, under the same rule. */
export function passwdName(username: string): string {
  return POSIX_NAME.test(username) ? username : 'user';
}
