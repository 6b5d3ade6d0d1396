/** The emulated identity of a login name, matching /etc/passwd and /etc/group. */
export function userInfo(name: string): { name: string; uid: number; gid: number; groups: Array<[number, string]> } {
  if (name === 'root') return { name, uid: 0, gid: 0, groups: [[0, 'root']] };
  if (name === 'debian') {
    return { name, uid: 1000, gid: 1000, groups: [[1000, 'debian'], [4, 'adm'], [27, 'sudo'], [100, 'users']] };
  }
  return { name, uid: 1001, gid: 1001, groups: [[1001, name], [100, 'users']] };
}
