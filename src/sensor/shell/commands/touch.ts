import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';
import { parseFlags } from '../parse-flags.js';

export const touch: Command = {
  path: '/usr/bin/touch',
  run(ctx) {
    const { operands } = parseFlags(ctx.args, ['d', 'r', 't']);
    if (operands.length === 0) {
      ctx.stderr("touch: missing file operand\nTry 'touch --help' for more information.\n");
      return 1;
    }
    let status = 0;
    for (const file of operands) {
      try {
        ctx.shell.fs.touch(ctx.shell.resolvePath(file));
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        ctx.stderr(`touch: cannot touch '${file}': ${err.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
