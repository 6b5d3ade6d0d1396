import type { Command } from '../command.js';

export const nproc: Command = {
  path: '/usr/bin/nproc',
  run(ctx) {
    ctx.stdout('2\n');
    return 0;
  },
};
