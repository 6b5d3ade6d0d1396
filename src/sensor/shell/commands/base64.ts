import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

export const base64: Command = {
  path: '/usr/bin/base64',
  async run(ctx) {
    const { flags, operands } = parseFlags(ctx.args, ['w']);
    const { inputs, failed } = await readInputs(ctx, operands.slice(0, 1));
    if (failed) return 1;
    const data = inputs[0]?.data ?? Buffer.alloc(0);
    if (flags.has('d') || flags.has('decode')) {
      const text = data.toString('latin1').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
        ctx.stdout(Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
        ctx.stderr('base64: invalid input\n');
        return 1;
      }
      ctx.stdout(Buffer.from(text, 'base64'));
      return 0;
    }
    const encoded = data.toString('base64');
    ctx.stdout(`${encoded.replace(/(.{76})(?=.)/g, '$1\n')}\n`);
    return 0;
  },
};
