import type { Command } from '../command.js';
import { unescapeEcho } from '../unescape-echo.js';

/** printf FORMAT [ARG]...: escapes and %s %d %b %c %x %%; the format is used once. */
export const printf: Command = {
  path: '/usr/bin/printf',
  run(ctx) {
    const [format, ...args] = ctx.args;
    if (format === undefined) {
      ctx.stderr('printf: usage: printf [-v var] format [arguments]\n');
      return 2;
    }
    let next = 0;
    const take = (): string => args[next++] ?? '';
    const text = format.replace(/%([-0-9.]*)([sdibcxX%])/g, (_m, _width: string, conv: string) => {
      if (conv === '%') return '%';
      const arg = take();
      if (conv === 's') return arg.replace(/\\/g, '\\\\');
      if (conv === 'b') return arg;
      if (conv === 'c') return arg.slice(0, 1);
      const n = Number.parseInt(arg, 10) || 0;
      if (conv === 'x') return n.toString(16);
      if (conv === 'X') return n.toString(16).toUpperCase();
      return String(n);
    });
    ctx.stdout(unescapeEcho(text).data);
    return 0;
  },
};
