import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from '../command.js';

/** Real sleeping is capped: a bot's `sleep 600` must not hold a session (or a test) for long. */
const MAX_SLEEP_MS = 2000;
const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

export const sleep: Command = {
  path: '/usr/bin/sleep',
  async run(ctx) {
    if (ctx.args.length === 0) {
      ctx.stderr("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let seconds = 0;
    for (const arg of ctx.args) {
      const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
      if (match === null) {
        ctx.stderr(`sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      seconds += Number(match[1]) * (UNIT[match[2] ?? ''] ?? 1);
    }
    try {
      await delay(Math.min(seconds * 1000, MAX_SLEEP_MS), undefined, { signal: ctx.signal });
    } catch (err) {
      if (!ctx.signal.aborted) throw err;
      return 130;
    }
    return 0;
  },
};
