import type { Command } from '../command.js';

const APPLETS = [
  '[', '[[', 'ash', 'awk', 'base64', 'basename', 'busybox', 'cat', 'chmod', 'chown', 'cp', 'cut', 'date', 'dd', 'df', 'dirname',
  'dmesg', 'echo', 'env', 'false', 'free', 'ftpget', 'grep', 'gunzip', 'gzip', 'head', 'hostname', 'id', 'ifconfig', 'ip', 'kill', 'killall',
  'ln', 'ls', 'md5sum', 'mkdir', 'mv', 'nc', 'netstat', 'nproc', 'ping', 'ps', 'pwd', 'rm', 'rmdir', 'sed', 'sh', 'sleep', 'sort',
  'tail', 'tar', 'tftp', 'touch', 'tr', 'true', 'uname', 'uptime', 'wc', 'wget', 'which', 'whoami', 'xargs',
];

const BANNER =
  'BusyBox v1.35.0 (Debian 1:1.35.0-4+b3) multi-call binary.\n' +
  'BusyBox is copyrighted by many authors between 1998-2015.\n' +
  'Licensed under GPLv2. See source distribution for detailed\n' +
  'copyright notices.\n\n' +
  'Usage: busybox [function [arguments]...]\n' +
  '   or: busybox --list[-full]\n' +
  '   or: busybox --show SCRIPT\n' +
  '   or: busybox --install [-s] [DIR]\n' +
  '   or: function [arguments]...\n\n' +
  '\tBusyBox is a multi-call binary that combines many common Unix\n' +
  '\tutilities into a single executable.  Most people will create a\n' +
  '\tlink to busybox for each function they wish to use and BusyBox\n' +
  '\twill act like whatever it was invoked as.\n\n' +
  'Currently defined functions:\n';

function appletColumns(): string {
  const lines: string[] = [];
  let line = '\t';
  for (const applet of APPLETS) {
    const piece = `${applet}, `;
    if (line.length + piece.length > 78) {
      lines.push(line.trimEnd());
      line = '\t';
    }
    line += piece;
  }
  lines.push(line.replace(/, $/, ''));
  return `${lines.join('\n')}\n`;
}

export const busybox: Command = {
  path: '/usr/bin/busybox',
  async run(ctx) {
    const [applet, ...args] = ctx.args;
    if (applet === undefined || applet === '--help') {
      ctx.stdout(BANNER + appletColumns());
      return 0;
    }
    if (applet === '--list') {
      ctx.stdout(`${APPLETS.join('\n')}\n`);
      return 0;
    }
    const command = APPLETS.includes(applet) ? ctx.shell.lookupCommand(applet) : undefined;
    if (command === undefined) {
      ctx.stderr(`${applet}: applet not found\n`);
      return 127;
    }
    return command.run({ ...ctx, name: applet, args });
  },
};
