import type { Command } from '../command.js';
import { formatClock, formatUptime } from '../format-clock.js';

export const uptime: Command = {
  path: '/usr/bin/uptime',
  run(ctx) {
    const now = ctx.shell.now();
    const seconds = Math.floor((now - ctx.shell.bootTime) / 1000);
    if (ctx.args.includes('-p') || ctx.args.includes('--pretty')) {
      const days = Math.floor(seconds / 86_400);
      const hours = Math.floor((seconds % 86_400) / 3600);
      const minutes = Math.floor((seconds % 3600) / 60);
      ctx.stdout(`up ${days} days, ${hours} hours, ${minutes} minutes\n`);
      return 0;
    }
    ctx.stdout(` ${formatClock(now)} ${formatUptime(seconds)},  1 user,  load average: 0.00, 0.01, 0.00\n`);
    return 0;
  },
};
