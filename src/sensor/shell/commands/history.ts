import type { Command } from '../command.js';

export const history: Command = {
  path: '/usr/bin/history',
  run(ctx) {
    if (ctx.args.includes('-c')) {
      ctx.shell.history.length = 0;
      return 0;
    }
    for (const [index, line] of ctx.shell.history.entries()) ctx.stdout(`${String(index + 1).padStart(5)}  ${line}\n`);
    return 0;
  },
};
