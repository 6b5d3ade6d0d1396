import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';

export const chmod: Command = {
  path: '/usr/bin/chmod',
  run(ctx) {
    const args = ctx.args.filter((a) => !/^-[RfvcH]+$/.test(a) && !a.startsWith('--'));
    const [modeText, ...files] = args;
    if (modeText === undefined || files.length === 0) {
      ctx.stderr(modeText === undefined ? "chmod: missing operand\nTry 'chmod --help' for more information.\n" : `chmod: missing operand after '${modeText}'\nTry 'chmod --help' for more information.\n`);
      return 1;
    }
    let status = 0;
    for (const file of files) {
      const path = ctx.shell.resolvePath(file);
      const stat = ctx.shell.fs.stat(path);
      if (stat === undefined) {
        ctx.stderr(`chmod: cannot access '${file}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const mode = applyMode(modeText, stat.mode);
      if (mode === undefined) {
        ctx.stderr(`chmod: invalid mode: '${modeText}'\nTry 'chmod --help' for more information.\n`);
        return 1;
      }
      try {
        ctx.shell.fs.chmod(path, mode);
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        ctx.stderr(`chmod: changing permissions of '${file}': Operation not permitted\n`);
        status = 1;
      }
    }
    return status;
  },
};

/** The new mode for an octal (`755`) or symbolic (`u+x,go-w`) spec, or undefined if invalid. */
export function applyMode(spec: string, current: number): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(',')) {
    const match = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (match === null) return undefined;
    const who = match[1] === '' || match[1]?.includes('a') ? 'ugo' : (match[1] as string);
    let bits = 0;
    for (const perm of match[3] as string) {
      const value = perm === 'r' ? 4 : perm === 'w' ? 2 : perm === 'x' || perm === 'X' ? 1 : 0;
      for (const w of who) bits |= value << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
    }
    if (match[2] === '+') mode |= bits;
    else if (match[2] === '-') mode &= ~bits;
    else {
      let clear = 0;
      for (const w of who) clear |= 7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
      mode = (mode & ~clear) | bits;
    }
  }
  return mode;
}
