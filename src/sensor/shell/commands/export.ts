import type { Command } from '../command.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const exportCommand: Command = {
  path: '/usr/bin/export',
  run(ctx) {
    const args = ctx.args.filter((a) => a !== '-n' && a !== '-p');
    if (args.length === 0) {
      for (const [key, value] of [...ctx.shell.env].sort(([a], [b]) => (a < b ? -1 : 1))) {
        ctx.stdout(`declare -x ${key}="${value.replace(/["\\$`]/g, '\\$&')}"\n`);
      }
      return 0;
    }
    let status = 0;
    for (const arg of args) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      if (!NAME.test(name)) {
        ctx.stderr(`-bash: export: \`${arg}': not a valid identifier\n`);
        status = 1;
      } else if (eq >= 0) ctx.shell.env.set(name, arg.slice(eq + 1));
      else if (!ctx.shell.env.has(name)) ctx.shell.env.set(name, '');
    }
    return status;
  },
};

export const unset: Command = {
  path: '/usr/bin/unset',
  run(ctx) {
    for (const name of ctx.args.filter((a) => !a.startsWith('-'))) ctx.shell.env.delete(name);
    return 0;
  },
};
