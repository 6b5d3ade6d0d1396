import type { Command } from '../command.js';

/** nohup CMD ...: runs the command in the emulator (output is not redirected to nohup.out). */
export const nohup: Command = {
  path: '/usr/bin/nohup',
  run(ctx) {
    if (ctx.args.length === 0) {
      ctx.stderr("nohup: missing operand\nTry 'nohup --help' for more information.\n");
      return 125;
    }
    const quoted = ctx.args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    return ctx.shell.runScript(quoted, { stdin: ctx.stdin, ctx });
  },
};
