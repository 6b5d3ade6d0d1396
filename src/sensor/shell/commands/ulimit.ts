import type { Command } from '../command.js';

export const ulimit: Command = {
  path: '/usr/bin/ulimit',
  run(ctx) {
    if (ctx.args.length === 0 || ctx.args.every((a) => a.startsWith('-'))) ctx.stdout(ctx.args.includes('-n') ? '1024\n' : 'unlimited\n');
    return 0;
  },
};
