import type { Command, CommandContext } from '../command.js';

const UNCHANGED = 'passwd: Authentication token manipulation error\npasswd: password unchanged\n';

/**
 * passwd: asks for the new password twice without echo, as Debian's does
 * (a non-root user first gives the current one). Each line read is logged as
 * Cowrie logs it, since a bot's new password is worth keeping.
 */
export const passwd: Command = {
  path: '/usr/bin/passwd',
  async run(ctx) {
    const user = ctx.shell.username;
    if (user !== 'root') {
      ctx.stderr(`Changing password for ${user}.\nCurrent password: `);
      if ((await readPassword(ctx)) === undefined) return fail(ctx, UNCHANGED);
    }
    ctx.stderr('New password: ');
    const first = await readPassword(ctx);
    if (first === undefined || first === '') return fail(ctx, `No password has been supplied.\n${UNCHANGED}`);
    ctx.stderr('Retype new password: ');
    const second = await readPassword(ctx);
    if (second !== first) return fail(ctx, `Sorry, passwords do not match.\n${UNCHANGED}`);
    ctx.stderr('passwd: password updated successfully\n');
    return 0;
  },
};

async function readPassword(ctx: CommandContext): Promise<string | undefined> {
  const line = await ctx.readLine({ echo: false });
  if (line !== undefined) await ctx.shell.emit('cowrie.command.success', { realm: 'passwd', input: line }, `INPUT (passwd): ${line}`);
  return line;
}

function fail(ctx: CommandContext, message: string): number {
  ctx.stderr(message);
  return 10;
}
