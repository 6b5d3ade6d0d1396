import type { Command } from '../command.js';
import { FsError } from '../fake-fs.js';
import { parseFlags } from '../parse-flags.js';

const SPOOL = '/var/spool/cron/crontabs';

/** crontab: installs, lists and removes the user's crontab in the fake fs (for this session). */
export const crontab: Command = {
  path: '/usr/bin/crontab',
  async run(ctx) {
    const { flags, values, operands } = parseFlags(ctx.args, ['u']);
    const user = values.get('u') ?? ctx.shell.username;
    if (!/^[a-z_][a-z0-9_-]*$/i.test(user)) {
      ctx.stderr(`crontab: user '${user}' unknown\n`);
      return 1;
    }
    const fs = ctx.shell.fs;
    const path = `${SPOOL}/${user}`;
    if (flags.has('l') || flags.has('r')) {
      if (fs.stat(path)?.type !== 'file') {
        ctx.stderr(`no crontab for ${user}\n`);
        return 1;
      }
      if (flags.has('l')) ctx.stdout(await fs.readFile(path));
      else fs.remove(path);
      return 0;
    }
    if (flags.has('e')) return 0;
    const source = operands[0] ?? '-';
    let table: Buffer;
    try {
      table = source === '-' ? await ctx.readStdin() : await fs.readFile(ctx.shell.resolvePath(source));
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      ctx.stderr(`${source}: ${err.message}\n`);
      return 1;
    }
    fs.writeFile(path, table);
    return 0;
  },
};
