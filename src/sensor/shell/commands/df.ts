import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

/** filesystem, 1K-blocks, used, mount point */
const MOUNTS: ReadonlyArray<readonly [string, number, number, string]> = [
  ['udev', 1988536, 0, '/dev'],
  ['tmpfs', 402504, 548, '/run'],
  ['/dev/sda1', 30830580, 2383744, '/'],
  ['tmpfs', 2012520, 0, '/dev/shm'],
  ['tmpfs', 5120, 0, '/run/lock'],
  ['/dev/sda15', 126678, 11840, '/boot/efi'],
  ['tmpfs', 402504, 0, '/run/user/0'],
];

export const df: Command = {
  path: '/usr/bin/df',
  run(ctx) {
    const { flags } = parseFlags(ctx.args);
    const human = flags.has('h');
    ctx.stdout(human ? 'Filesystem      Size  Used Avail Use% Mounted on\n' : 'Filesystem     1K-blocks    Used Available Use% Mounted on\n');
    for (const [fs, size, used, mount] of MOUNTS) {
      const avail = size - used;
      const pct = `${Math.ceil((used / size) * 100)}%`;
      if (human) ctx.stdout(`${fs.padEnd(15)} ${hr(size).padStart(4)} ${hr(used).padStart(5)} ${hr(avail).padStart(5)} ${pct.padStart(4)} ${mount}\n`);
      else ctx.stdout(`${fs.padEnd(14)} ${String(size).padStart(9)} ${String(used).padStart(7)} ${String(avail).padStart(9)} ${pct.padStart(4)} ${mount}\n`);
    }
    return 0;
  },
};

function hr(kib: number): string {
  if (kib === 0) return '0';
  if (kib < 1024) return `${kib}K`;
  if (kib < 1048576) return `${Math.round(kib / 1024)}M`;
  return `${(kib / 1048576).toFixed(kib < 10 * 1048576 ? 1 : 0)}G`;
}
