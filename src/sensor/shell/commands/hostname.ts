import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { NETWORK } from '../network.js';

export const hostname: Command = {
  path: '/usr/bin/hostname',
  run(ctx) {
    const { flags, operands } = parseFlags(ctx.args);
    if (operands.length > 0) {
      if (ctx.shell.username === 'root') return 0;
      ctx.stderr('hostname: you must be root to change the host name\n');
      return 1;
    }
    if (flags.has('i') || flags.has('I')) ctx.stdout(`${NETWORK.address} \n`);
    else ctx.stdout(`${ctx.shell.hostname}\n`);
    return 0;
  },
};
