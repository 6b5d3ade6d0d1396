import { posix } from 'node:path';
import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

const USAGE =
  'BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n\nUsage: ftpget [OPTIONS] HOST [LOCAL_FILE] REMOTE_FILE\n\n' +
  'Download a file via FTP\n\n\t-c\tContinue previous transfer\n\t-v\tVerbose\n\t-u USER\tUsername\n\t-p PASS\tPassword\n\t-P PORT\n';

/**
 * ftpget, as busybox has it. The URL (with any credentials, as Cowrie logs
 * it) goes through the shell's download rules like wget's; FTP itself is
 * never spoken, so it ends as a failed connection.
 */
export const ftpget: Command = {
  path: '/usr/bin/ftpget',
  async run(ctx) {
    const { values, operands } = parseFlags(ctx.args, ['u', 'p', 'P']);
    const [host, second, third] = operands;
    if (host === undefined || second === undefined) {
      ctx.stderr(USAGE);
      return 1;
    }
    const remote = third ?? second;
    const local = third === undefined ? posix.basename(remote) : second;
    const destfile = ctx.shell.resolvePath(local);
    if (ctx.shell.fs.stat(posix.dirname(destfile))?.type !== 'dir') {
      ctx.stderr(`ftpget: can't open '${local}': No such file or directory\n`);
      return 1;
    }
    const user = values.get('u');
    const password = values.get('p');
    const port = values.get('P');
    const login = user === undefined ? '' : `${user}${password === undefined ? '' : `:${password}`}@`;
    const url = `ftp://${login}${host}${port === undefined || port === '21' ? '' : `:${port}`}/${remote.replace(/^\/+/, '')}`;
    const outcome = await ctx.shell.download({ url, destfile }, ctx.signal);
    if (outcome.ok) return 0;
    ctx.stderr(/^[\d.]+$|:/.test(host) ? `ftpget: can't connect to remote host (${host}): Connection refused\n` : `ftpget: bad address '${host}'\n`);
    return 1;
  },
};
