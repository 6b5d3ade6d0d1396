import { posix } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { FsError } from '../fake-fs.js';
import { parseFlags } from '../parse-flags.js';

/** cp and mv of files (directories need -r for cp and are refused). */
async function copy(ctx: CommandContext, move: boolean): Promise<number> {
  const name = move ? 'mv' : 'cp';
  const { operands } = parseFlags(ctx.args, ['t', 'S']);
  if (operands.length < 2) {
    ctx.stderr(operands.length === 0 ? `${name}: missing file operand\n` : `${name}: missing destination file operand after '${operands[0]}'\n`);
    ctx.stderr(`Try '${name} --help' for more information.\n`);
    return 1;
  }
  const sources = operands.slice(0, -1);
  const dest = ctx.shell.resolvePath(operands[operands.length - 1] as string);
  const destIsDir = ctx.shell.fs.stat(dest)?.type === 'dir';
  let status = 0;
  for (const source of sources) {
    const from = ctx.shell.resolvePath(source);
    const stat = ctx.shell.fs.stat(from);
    if (stat === undefined) {
      ctx.stderr(`${name}: cannot stat '${source}': No such file or directory\n`);
      status = 1;
      continue;
    }
    if (stat.type === 'dir') {
      ctx.stderr(move ? `${name}: cannot move '${source}': Operation not permitted\n` : `${name}: -r not specified; omitting directory '${source}'\n`);
      status = 1;
      continue;
    }
    const to = destIsDir ? posix.join(dest, posix.basename(from)) : dest;
    try {
      ctx.shell.fs.writeFile(to, await ctx.shell.fs.readFile(from), { mode: stat.mode });
      if (move) ctx.shell.fs.remove(from);
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      ctx.stderr(`${name}: cannot create regular file '${to}': ${err.message}\n`);
      status = 1;
    }
  }
  return status;
}

export const cp: Command = {
  path: '/usr/bin/cp',
  run(ctx) {
    return copy(ctx, false);
  },
};

export const mv: Command = {
  path: '/usr/bin/mv',
  run(ctx) {
    return copy(ctx, true);
  },
};
