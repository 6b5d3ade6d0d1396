import type { Command } from '../command.js';
import { quoteArgv } from '../quote-argv.js';

/** Options that take a value, so the command after them is found. */
const VALUED = new Set(['-u', '-g', '-p', '-C', '-D', '-h', '-r', '-t', '-U', '-T', '--user', '--group', '--prompt', '--chdir', '--host', '--role', '--type', '--other-user', '--command-timeout', '--close-from']);

/**
 * sudo: root runs the command without a password, as Debian's sudoers allows;
 * any other user is asked for one and then refused, since the emulated shell
 * cannot change who it runs as.
 */
export const sudo: Command = {
  path: '/usr/bin/sudo',
  async run(ctx) {
    let i = 0;
    let shell = false;
    for (; i < ctx.args.length; i++) {
      const arg = ctx.args[i] as string;
      if (arg === '--') {
        i++;
        break;
      }
      if (!arg.startsWith('-') || arg === '-') break;
      if (arg === '-V' || arg === '--version') {
        ctx.stdout('Sudo version 1.9.13p3\nSudoers policy plugin version 1.9.13p3\nSudoers file grammar version 50\nSudoers I/O plugin version 1.9.13p3\nSudoers audit plugin version 1.9.13p3\n');
        return 0;
      }
      if (arg === '-i' || arg === '-s' || arg === '--login' || arg === '--shell') shell = true;
      if (VALUED.has(arg)) i++;
    }
    const user = ctx.shell.username;
    if (user !== 'root') {
      ctx.stderr(`[sudo] password for ${user}: `);
      const line = await ctx.readLine({ echo: false });
      if (line === undefined) return 1;
      await ctx.shell.emit('cowrie.command.success', { realm: 'sudo', input: line }, `INPUT (sudo): ${line}`);
      ctx.stderr(`${user} is not in the sudoers file.  This incident will be reported.\n`);
      return 1;
    }
    const command = ctx.args.slice(i);
    if (command.length === 0) {
      // `sudo -i` / `sudo -s`: a root shell, which this already is.
      if (shell) return 0;
      ctx.stderr('usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo [-ABbEHkNnPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\n');
      return 1;
    }
    return ctx.shell.runScript(quoteArgv(command), { stdin: ctx.stdin, ctx });
  },
};
