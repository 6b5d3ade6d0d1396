import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { userInfo } from '../user-info.js';

export const id: Command = {
  path: '/usr/bin/id',
  run(ctx) {
    const { flags } = parseFlags(ctx.args);
    const user = userInfo(ctx.shell.username);
    const name = flags.has('n');
    if (flags.has('u')) ctx.stdout(`${name ? user.name : user.uid}\n`);
    else if (flags.has('g')) ctx.stdout(`${name ? user.name : user.gid}\n`);
    else if (flags.has('G')) ctx.stdout(`${user.groups.map(([gid, group]) => (name ? group : gid)).join(' ')}\n`);
    else {
      const groups = user.groups.map(([gid, group]) => `${gid}(${group})`).join(',');
      ctx.stdout(`uid=${user.uid}(${user.name}) gid=${user.gid}(${user.name}) groups=${groups}\n`);
    }
    return 0;
  },
};
