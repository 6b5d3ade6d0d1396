import type { Command } from '../command.js';
import { readInputs } from '../read-inputs.js';

export const cat: Command = {
  path: '/usr/bin/cat',
  async run(ctx) {
    const files = ctx.args.filter((a) => a === '-' || !a.startsWith('-'));
    const { inputs, failed } = await readInputs(ctx, files);
    for (const input of inputs) ctx.stdout(input.data);
    return failed ? 1 : 0;
  },
};
