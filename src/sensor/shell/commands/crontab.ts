import type { Command } from '../command.js';

export const crontab: Command = {
  path: '/usr/bin/crontab',
  run(ctx) {
    if (ctx.args.includes('-l')) {
      ctx.stderr(`no crontab for ${ctx.shell.username}\n`);
      return 1;
    }
    // Installing (`crontab file`, `crontab -`) or removing (`-r`) succeeds silently; the input was logged as a command.
    return 0;
  },
};
