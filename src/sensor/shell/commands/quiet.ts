import type { Command } from '../command.js';

/** Commands that succeed without output on a real box as root (chattr, kill, sync, ...). */
function quietCommand(path: string): Command {
  return {
    path,
    run() {
      return 0;
    },
  };
}

export const chattr = quietCommand('/usr/bin/chattr');
export const kill = quietCommand('/usr/bin/kill');
export const pkill = quietCommand('/usr/bin/pkill');
export const killall = quietCommand('/usr/bin/killall');
export const sync = quietCommand('/usr/bin/sync');
export const chpasswd = quietCommand('/usr/sbin/chpasswd');
export const chown = quietCommand('/usr/bin/chown');
