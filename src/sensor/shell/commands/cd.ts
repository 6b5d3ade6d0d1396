import type { Command } from '../command.js';

export const cd: Command = {
  path: '/usr/bin/cd',
  run(ctx) {
    const { shell } = ctx;
    const args = ctx.args.filter((a) => a !== '-P' && a !== '-L');
    if (args.length > 1) {
      ctx.stderr('-bash: cd: too many arguments\n');
      return 1;
    }
    let target = args[0] ?? shell.home;
    if (target === '-') {
      target = shell.env.get('OLDPWD') ?? shell.cwd;
      ctx.stdout(`${target}\n`);
    }
    const path = shell.resolvePath(target);
    const stat = shell.fs.stat(path);
    if (stat === undefined) {
      ctx.stderr(`-bash: cd: ${target}: No such file or directory\n`);
      return 1;
    }
    if (stat.type !== 'dir') {
      ctx.stderr(`-bash: cd: ${target}: Not a directory\n`);
      return 1;
    }
    shell.env.set('OLDPWD', shell.cwd);
    shell.env.set('PWD', path);
    shell.cwd = path;
    return 0;
  },
};
