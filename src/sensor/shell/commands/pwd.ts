import type { Command } from '../command.js';

export const pwd: Command = {
  path: '/usr/bin/pwd',
  run(ctx) {
    ctx.stdout(`${ctx.shell.cwd}\n`);
    return 0;
  },
};
