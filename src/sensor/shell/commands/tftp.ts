import { posix } from 'node:path';
import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

/**
 * tftp, busybox style (`tftp -g -r FILE [-l LOCAL] HOST [PORT]`) or classic
 * (`tftp HOST -c get FILE`). The URL is logged as tftp://HOST/FILE; UDP
 * transfers are never made, so it always ends in a timeout.
 */
export const tftp: Command = {
  path: '/usr/bin/tftp',
  async run(ctx) {
    const { values, operands } = parseFlags(ctx.args, ['r', 'l', 'b', 'c', 'm']);
    let remote = values.get('r');
    let local = values.get('l');
    const host = operands[0];
    const command = values.get('c');
    if (command !== undefined && /^get$/i.test(command)) {
      remote = operands[1];
      local = operands[2];
    }
    if (host === undefined || remote === undefined) {
      ctx.stderr('BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n\nUsage: tftp [OPTIONS] HOST [PORT]\n\nTransfer a file from/to tftp server\n');
      return 1;
    }
    const port = operands[1] !== undefined && /^\d+$/.test(operands[1]) && command === undefined ? `:${operands[1]}` : '';
    const url = `tftp://${host}${port}/${remote.replace(/^\/+/, '')}`;
    const destfile = ctx.shell.resolvePath(local ?? posix.basename(remote));
    const outcome = await ctx.shell.download({ url, destfile }, ctx.signal);
    if (outcome.ok) return 0;
    ctx.stderr('tftp: timeout\n');
    return 1;
  },
};
