import type { Command } from '../command.js';
import { formatClock } from '../format-clock.js';

/** [user, pid, ppid, %cpu, %mem, vsz, rss, tty, stat, start, time, command]; user '' is the logged-in user. */
export type Process = readonly [string, number, number, string, string, number, number, string, string, string, string, string];

export const PROCESSES: readonly Process[] = [
  ['root', 1, 0, '0.0', '0.3', 168000, 12168, '?', 'Ss', 'boot', '0:04', '/sbin/init'],
  ['root', 2, 0, '0.0', '0.0', 0, 0, '?', 'S', 'boot', '0:00', '[kthreadd]'],
  ['root', 3, 2, '0.0', '0.0', 0, 0, '?', 'I<', 'boot', '0:00', '[rcu_gp]'],
  ['root', 12, 2, '0.0', '0.0', 0, 0, '?', 'S', 'boot', '0:01', '[ksoftirqd/0]'],
  ['root', 13, 2, '0.0', '0.0', 0, 0, '?', 'I', 'boot', '0:03', '[rcu_preempt]'],
  ['root', 268, 1, '0.0', '0.4', 48784, 16448, '?', 'Ss', 'boot', '0:01', '/lib/systemd/systemd-journald'],
  ['root', 290, 1, '0.0', '0.1', 25940, 6444, '?', 'Ss', 'boot', '0:00', '/lib/systemd/systemd-udevd'],
  ['root', 412, 1, '0.0', '0.0', 6608, 2668, '?', 'Ss', 'boot', '0:00', '/usr/sbin/cron -f'],
  ['message+', 413, 1, '0.0', '0.1', 9124, 4796, '?', 'Ss', 'boot', '0:00', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only'],
  ['root', 418, 1, '0.0', '0.1', 25408, 7768, '?', 'Ss', 'boot', '0:00', '/lib/systemd/systemd-logind'],
  ['root', 431, 1, '0.0', '0.0', 5872, 1020, 'tty1', 'Ss+', 'boot', '0:00', '/sbin/agetty -o -p -- \\u --noclear - linux'],
  ['root', 452, 1, '0.0', '0.2', 15444, 9268, '?', 'Ss', 'boot', '0:00', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
  ['root', 1198, 452, '0.0', '0.2', 17720, 10980, '?', 'Ss', 'login', '0:00', 'sshd: USER@pts/0'],
  ['', 1201, 1198, '0.0', '0.1', 8752, 5320, 'pts/0', 'Ss', 'login', '0:00', '-bash'],
];

export const ps: Command = {
  path: '/usr/bin/ps',
  run(ctx) {
    const opts = ctx.args.join(' ');
    const now = ctx.shell.now();
    const user = ctx.shell.username;
    const boot = new Date(ctx.shell.bootTime).toUTCString();
    const bootDay = `${boot.slice(8, 11)}${boot.slice(5, 7)}`;
    const start = (when: string): string => (when === 'boot' ? bootDay : formatClock(now - 60_000).slice(0, 5));
    const self: Process = ['', 1207, 1201, '0.0', '0.0', 11084, 4380, 'pts/0', 'R+', 'login', '0:00', `ps ${opts}`.trim()];
    const rows = [...PROCESSES, self];
    const owner = (p: Process): string => (p[0] === '' ? user : p[0]);
    const commandLine = (p: Process): string => p[11].replace('USER', user);
    if (/(^|\s)-?[a-z]*[ax]/.test(opts) && !opts.includes('-e')) {
      ctx.stdout('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n');
      for (const p of rows) {
        ctx.stdout(
          `${owner(p).padEnd(8)} ${String(p[1]).padStart(7)} ${p[3].padStart(4)} ${p[4].padStart(4)} ${String(p[5]).padStart(6)} ${String(p[6]).padStart(5)} ${p[7].padEnd(8)} ${p[8].padEnd(4)} ${start(p[9]).padEnd(5)} ${p[10].padStart(6)} ${commandLine(p)}\n`,
        );
      }
      return 0;
    }
    if (opts.includes('-e') || opts.includes('-A')) {
      ctx.stdout('UID          PID    PPID  C STIME TTY          TIME CMD\n');
      for (const p of rows) {
        ctx.stdout(
          `${owner(p).padEnd(8)} ${String(p[1]).padStart(7)} ${String(p[2]).padStart(7)}  0 ${start(p[9]).padEnd(5)} ${p[7].padEnd(8)} 00:00:0${p[10].slice(-1)} ${commandLine(p)}\n`,
        );
      }
      return 0;
    }
    ctx.stdout('    PID TTY          TIME CMD\n   1201 pts/0    00:00:00 bash\n   1207 pts/0    00:00:00 ps\n');
    return 0;
  },
};
