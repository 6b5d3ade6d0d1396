import type { Command } from '../command.js';

export const whoami: Command = {
  path: '/usr/bin/whoami',
  run(ctx) {
    ctx.stdout(`${ctx.shell.username}\n`);
    return 0;
  },
};
