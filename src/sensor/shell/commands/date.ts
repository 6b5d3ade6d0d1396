import type { Command } from '../command.js';
import { formatDate } from '../format-clock.js';

/** date (UTC), `+%s` for the epoch; other formats print the default form. */
export const date: Command = {
  path: '/usr/bin/date',
  run(ctx) {
    const now = new Date(ctx.shell.now());
    if (ctx.args[0] === '+%s') {
      ctx.stdout(`${Math.floor(now.getTime() / 1000)}\n`);
      return 0;
    }
    ctx.stdout(`${formatDate(now.getTime())}\n`);
    return 0;
  },
};
