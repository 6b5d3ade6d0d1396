import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

/** KiB: total, used, free, shared, buff/cache, available. */
export const MEM = [4025040, 335136, 3132560, 1040, 565904, 3521704] as const;
export const SWAP = [998396, 0, 998396] as const;

export const free: Command = {
  path: '/usr/bin/free',
  run(ctx) {
    const { flags } = parseFlags(ctx.args);
    const format = (kib: number): string => {
      if (flags.has('h')) return human(kib);
      if (flags.has('g')) return String(Math.floor(kib / 1048576));
      if (flags.has('m')) return String(Math.floor(kib / 1024));
      return String(kib);
    };
    const col = (values: readonly number[]): string => values.map((v) => format(v).padStart(12)).join('');
    ctx.stdout(
      '               total        used        free      shared  buff/cache   available\n' +
        `${'Mem:'.padEnd(8)}${col(MEM)}\n` +
        `${'Swap:'.padEnd(8)}${col(SWAP)}\n`,
    );
    return 0;
  },
};

function human(kib: number): string {
  if (kib === 0) return '0B';
  if (kib < 1024) return `${kib}Ki`;
  if (kib < 1048576) return `${Math.round(kib / 1024)}Mi`;
  return `${(kib / 1048576).toFixed(1)}Gi`;
}
