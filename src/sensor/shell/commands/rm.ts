import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';
import { parseFlags } from '../parse-flags.js';

export const rm: Command = {
  path: '/usr/bin/rm',
  run(ctx) {
    const { flags, operands } = parseFlags(ctx.args);
    const recursive = flags.has('r') || flags.has('R') || flags.has('recursive');
    const force = flags.has('f') || flags.has('force');
    if (operands.length === 0) {
      if (force) return 0;
      ctx.stderr("rm: missing operand\nTry 'rm --help' for more information.\n");
      return 1;
    }
    let status = 0;
    for (const target of operands) {
      const path = ctx.shell.resolvePath(target);
      if (path === '/' && recursive && !flags.has('no-preserve-root')) {
        ctx.stderr("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
        status = 1;
        continue;
      }
      const stat = ctx.shell.fs.stat(path);
      if (stat === undefined) {
        if (!force) {
          ctx.stderr(`rm: cannot remove '${target}': No such file or directory\n`);
          status = 1;
        }
        continue;
      }
      if (stat.type === 'dir' && !recursive) {
        ctx.stderr(`rm: cannot remove '${target}': Is a directory\n`);
        status = 1;
        continue;
      }
      try {
        ctx.shell.fs.remove(path, { recursive: true });
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        ctx.stderr(`rm: cannot remove '${target}': ${err.code === 'EACCES' ? 'Permission denied' : err.message}\n`);
        status = 1;
      }
    }
    return status;
  },
};
