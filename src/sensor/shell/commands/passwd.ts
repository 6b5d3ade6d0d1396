import type { Command } from '../command.js';

/** passwd: without a terminal to read from, fails as the real one does. */
export const passwd: Command = {
  path: '/usr/bin/passwd',
  run(ctx) {
    if (ctx.stdin === undefined && ctx.tty) {
      ctx.stderr('New password: \nRetype new password: \nSorry, passwords do not match.\npasswd: Authentication token manipulation error\npasswd: password unchanged\n');
      return 10;
    }
    ctx.stderr('New password: Retype new password: passwd: password updated successfully\n');
    return 0;
  },
};
