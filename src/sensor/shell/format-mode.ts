import type { FsStat } from './fake-fs.js';

/** `drwxr-xr-x` for a stat, as ls -l prints it. */
export function formatMode(stat: Pick<FsStat, 'type' | 'mode'>): string {
  const kind = stat.type === 'dir' ? 'd' : stat.type === 'device' ? 'c' : '-';
  let out = kind;
  for (const shift of [6, 3, 0]) {
    const bits = (stat.mode >> shift) & 7;
    out += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  }
  if (stat.mode & 0o1000) out = `${out.slice(0, 9)}${out[9] === 'x' ? 't' : 'T'}`;
  return out;
}
