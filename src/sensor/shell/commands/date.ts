import type { Command } from '../command.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** date (UTC), `+%s` for the epoch; other formats print the default form. */
export const date: Command = {
  path: '/usr/bin/date',
  run(ctx) {
    const now = new Date(ctx.shell.now());
    if (ctx.args[0] === '+%s') {
      ctx.stdout(`${Math.floor(now.getTime() / 1000)}\n`);
      return 0;
    }
    const time = now.toISOString().slice(11, 19);
    ctx.stdout(`${DAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2)} ${time} UTC ${now.getUTCFullYear()}\n`);
    return 0;
  },
};
