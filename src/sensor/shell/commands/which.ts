import type { Command } from '../command.js';

/** Shell builtins have no file for `which` to find. */
const BUILTINS = new Set(['cd', 'export', 'unset', 'history', 'exit', 'logout', 'ulimit']);

export const which: Command = {
  path: '/usr/bin/which',
  run(ctx) {
    let status = 0;
    for (const name of ctx.args.filter((a) => !a.startsWith('-'))) {
      const command = ctx.shell.lookupCommand(name);
      if (command === undefined || BUILTINS.has(name)) status = 1;
      else ctx.stdout(`${name.includes('/') ? name : command.path}\n`);
    }
    return status;
  },
};
