import type { Command } from '../command.js';
import { quoteArgv } from '../quote-argv.js';

export const env: Command = {
  path: '/usr/bin/env',
  async run(ctx) {
    const assignments = new Map<string, string>();
    let i = 0;
    for (; i < ctx.args.length; i++) {
      const arg = ctx.args[i] as string;
      if (arg === '-i' || arg === '-') continue;
      const eq = arg.indexOf('=');
      if (eq <= 0) break;
      assignments.set(arg.slice(0, eq), arg.slice(eq + 1));
    }
    const rest = ctx.args.slice(i);
    if (rest.length > 0) {
      // `env X=1 cmd`: run the command; the assignments only matter to real programs.
      return ctx.shell.runScript(quoteArgv(rest), { stdin: ctx.stdin, ctx });
    }
    for (const [key, value] of new Map([...ctx.shell.env, ...assignments])) ctx.stdout(`${key}=${value}\n`);
    return 0;
  },
};
