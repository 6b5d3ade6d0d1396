import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';

/** sh / bash: `-c script`, a script file, or a script on stdin (`curl ... | sh`). */
export const sh: Command = {
  path: '/usr/bin/sh',
  async run(ctx) {
    const args = [...ctx.args];
    while (args[0] !== undefined && /^-[a-bd-z]+$/.test(args[0])) args.shift();
    if (args[0] === '-c') {
      const script = args[1];
      if (script === undefined) {
        ctx.stderr(`${ctx.name}: -c: option requires an argument\n`);
        return 2;
      }
      return ctx.shell.runScript(script, { stdin: ctx.stdin, ctx });
    }
    const file = args[0];
    if (file !== undefined) {
      let script: Buffer;
      try {
        script = await ctx.shell.fs.readFile(ctx.shell.resolvePath(file));
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        ctx.stderr(`${ctx.name}: ${file}: ${err.message}\n`);
        return 127;
      }
      return ctx.shell.runScript(script.toString('utf8'), { stdin: undefined, ctx, scriptName: file });
    }
    const script = await ctx.readStdin();
    return script.length > 0 ? ctx.shell.runScript(script.toString('utf8'), { stdin: Buffer.alloc(0), ctx }) : 0;
  },
};
