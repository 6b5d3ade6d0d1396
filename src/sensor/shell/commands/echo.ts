import type { Command } from '../command.js';
import { unescapeEcho } from '../unescape-echo.js';

export const echo: Command = {
  path: '/usr/bin/echo',
  run(ctx) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < ctx.args.length; i++) {
      const arg = ctx.args[i] as string;
      if (!/^-[neE]+$/.test(arg)) break;
      for (const letter of arg.slice(1)) {
        if (letter === 'n') newline = false;
        else escapes = letter === 'e';
      }
    }
    const text = ctx.args.slice(i).join(' ');
    if (!escapes) {
      ctx.stdout(newline ? `${text}\n` : text);
      return 0;
    }
    const { data, stop } = unescapeEcho(text);
    ctx.stdout(newline && !stop ? Buffer.concat([data, Buffer.from('\n')]) : data);
    return 0;
  },
};
