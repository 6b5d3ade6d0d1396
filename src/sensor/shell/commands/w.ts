import type { Command } from '../command.js';
import { formatClock, formatUptime } from '../format-clock.js';

export const w: Command = {
  path: '/usr/bin/w',
  run(ctx) {
    const now = ctx.shell.now();
    const seconds = Math.floor((now - ctx.shell.bootTime) / 1000);
    const login = formatClock(now - 60_000).slice(0, 5);
    ctx.stdout(
      ` ${formatClock(now)} ${formatUptime(seconds)},  1 user,  load average: 0.00, 0.01, 0.00\n` +
        'USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n' +
        `${ctx.shell.username.slice(0, 8).padEnd(8)} pts/0    ${ctx.shell.srcIp.slice(0, 16).padEnd(16)} ${login}    0.00s  0.01s  0.00s w\n`,
    );
    return 0;
  },
};
