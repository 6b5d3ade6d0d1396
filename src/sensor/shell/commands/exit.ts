import type { Command } from '../command.js';

/** exit / logout: the session ends after the current line. */
export const exit: Command = {
  path: '/usr/bin/exit',
  run(ctx) {
    const arg = ctx.args[0];
    let code = 0;
    if (arg !== undefined && /^-?\d+$/.test(arg)) code = Number(arg) & 0xff;
    else if (arg !== undefined) {
      ctx.stderr(`-bash: exit: ${arg}: numeric argument required\n`);
      code = 2;
    }
    ctx.shell.requestExit(code);
    return code;
  },
};
