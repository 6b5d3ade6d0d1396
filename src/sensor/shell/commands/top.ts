import type { Command } from '../command.js';
import { formatClock, formatUptime } from '../format-clock.js';
import { MEM, SWAP } from './free.js';
import { PROCESSES } from './ps.js';

/**
 * top: one screen. With -b (batch) as a bot's `top -bn1` reads it; on a
 * terminal the same screen drawn once, then it exits.
 */
export const top: Command = {
  path: '/usr/bin/top',
  run(ctx) {
    const batch = ctx.args.some((arg) => /^-[a-zA-Z]*b/.test(arg));
    const now = ctx.shell.now();
    const user = ctx.shell.username;
    const mib = (kib: number): string => (kib / 1024).toFixed(1).padStart(8);
    const [total, used, free, , cache, available] = MEM;
    const [swapTotal, swapUsed, swapFree] = SWAP;
    let screen =
      `top - ${formatClock(now)} ${formatUptime(Math.floor((now - ctx.shell.bootTime) / 1000))},  1 user,  load average: 0.00, 0.01, 0.00\n` +
      `Tasks: ${PROCESSES.length + 1} total,   1 running, ${PROCESSES.length} sleeping,   0 stopped,   0 zombie\n` +
      '%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st\n' +
      `MiB Mem : ${mib(total)} total, ${mib(free)} free, ${mib(used)} used, ${mib(cache)} buff/cache\n` +
      `MiB Swap: ${mib(swapTotal)} total, ${mib(swapFree)} free, ${mib(swapUsed)} used. ${mib(available)} avail Mem\n\n` +
      '    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n';
    const self = ['', 1208, 1201, '0.0', '0.1', 11680, 5120, 'pts/0', 'R', 'login', '0:00', 'top'] as const;
    for (const p of [self, ...PROCESSES]) {
      const name = (p[11].split(' ')[0] ?? '').replace(/^\[|\]$/g, '').split('/').pop() ?? '';
      const shared = Math.floor(p[6] * 0.7);
      screen +=
        `${String(p[1]).padStart(7)} ${(p[0] === '' ? user : p[0]).padEnd(8).slice(0, 8)}  20   0 ${String(p[5]).padStart(7)} ${String(p[6]).padStart(6)} ${String(shared).padStart(6)} ` +
        `${p[8][0] ?? 'S'} ${p[3].padStart(5)} ${p[4].padStart(5)} ${`${p[10]}.00`.padStart(9)} ${name}\n`;
    }
    ctx.stdout(batch || !ctx.tty ? `${screen}\n` : `\x1b[H\x1b[2J${screen}`);
    return 0;
  },
};
