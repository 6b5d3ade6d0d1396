import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';
import { parseFlags } from '../parse-flags.js';

export const mkdir: Command = {
  path: '/usr/bin/mkdir',
  run(ctx) {
    const { flags, operands } = parseFlags(ctx.args, ['m']);
    if (operands.length === 0) {
      ctx.stderr("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
      return 1;
    }
    let status = 0;
    for (const dir of operands) {
      try {
        ctx.shell.fs.mkdir(ctx.shell.resolvePath(dir), { parents: flags.has('p') || flags.has('parents') });
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        ctx.stderr(`mkdir: cannot create directory '${dir}': ${err.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
