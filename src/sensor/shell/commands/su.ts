import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';

/**
 * su [-] [-c CMD] [USER]: root switches without a password (pam_rootok) and
 * runs CMD in the same emulated shell; any other user is asked for a password
 * and refused, since the emulated shell cannot change who it runs as.
 */
export const su: Command = {
  path: '/usr/bin/su',
  async run(ctx) {
    let target = 'root';
    let command: string | undefined;
    for (let i = 0; i < ctx.args.length; i++) {
      const arg = ctx.args[i] as string;
      if (arg === '-c' || arg === '--command' || arg === '--session-command') command = ctx.args[++i];
      else if (arg.startsWith('--command=')) command = arg.slice('--command='.length);
      else if (arg === '-s' || arg === '--shell' || arg === '-g' || arg === '--group' || arg === '-G' || arg === '-w') i++;
      else if (arg === '-V' || arg === '--version') {
        ctx.stdout('su from util-linux 2.38.1\n');
        return 0;
      } else if (!arg.startsWith('-')) target = arg;
    }
    if (!(await userExists(ctx.shell.fs, target))) {
      ctx.stderr(`su: user ${target} does not exist or the user entry does not contain all the required fields\n`);
      return 1;
    }
    if (ctx.shell.username !== 'root') {
      ctx.stderr('Password: ');
      const line = await ctx.readLine({ echo: false });
      if (line === undefined) return 1;
      await ctx.shell.emit('cowrie.command.success', { realm: 'su', input: line }, `INPUT (su): ${line}`);
      ctx.stderr('su: Authentication failure\n');
      return 1;
    }
    return command === undefined ? 0 : ctx.shell.runScript(command, { stdin: ctx.stdin, ctx });
  },
};

async function userExists(fs: { readFile(path: string): Promise<Buffer> }, name: string): Promise<boolean> {
  try {
    const passwd = (await fs.readFile('/etc/passwd')).toString('utf8');
    return passwd.split('\n').some((line) => line.split(':')[0] === name);
  } catch (err) {
    if (err instanceof FsError) return false;
    throw err;
  }
}
