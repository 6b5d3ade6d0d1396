import type { Command } from '../command.js';
import { quoteArgv } from '../quote-argv.js';

/** nohup CMD ...: runs the command in the emulator (output is not redirected to nohup.out). */
export const nohup: Command = {
  path: '/usr/bin/nohup',
  run(ctx) {
    if (ctx.args.length === 0) {
      ctx.stderr("nohup: missing operand\nTry 'nohup --help' for more information.\n");
      return 125;
    }
    return ctx.shell.runScript(quoteArgv(ctx.args), { stdin: ctx.stdin, ctx });
  },
};
