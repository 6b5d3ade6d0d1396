import type { Command } from '../command.js';

export const clear: Command = {
  path: '/usr/bin/clear',
  run(ctx) {
    ctx.stdout('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};
