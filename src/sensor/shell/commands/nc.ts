import { once } from 'node:events';
import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

const VALUED = ['I', 'i', 'M', 'm', 'O', 'P', 'p', 'q', 's', 'T', 'V', 'W', 'w', 'X', 'x'];
const USAGE =
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n' +
  '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n' +
  '\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n' +
  '\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n' +
  '\t  [destination] [port]\n';

/**
 * nc / netcat (Debian's netcat-openbsd): never connects. A connection is
 * refused, a listener waits for a client that never comes, and `-e` (a
 * reverse shell) is refused as openbsd nc refuses it.
 */
export const nc: Command = {
  path: '/usr/bin/nc',
  async run(ctx) {
    const { flags, operands } = parseFlags(ctx.args, VALUED);
    const invalid = ['e', 'c'].find((letter) => flags.has(letter));
    if (invalid !== undefined) {
      ctx.stderr(`nc: invalid option -- '${invalid}'\n${USAGE}`);
      return 1;
    }
    if (flags.has('l')) {
      if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
      return 130;
    }
    const [host, port] = operands;
    if (host === undefined) {
      ctx.stderr(USAGE);
      return 1;
    }
    if (port === undefined) {
      ctx.stderr('nc: missing port number\n');
      return 1;
    }
    if (flags.has('v')) ctx.stderr(`nc: connect to ${host} port ${port} (tcp) failed: Connection refused\n`);
    return 1;
  },
};
