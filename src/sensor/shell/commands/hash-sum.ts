import { createHash } from 'node:crypto';
import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

/** md5sum / sha256sum over the fake fs or stdin: `HEX  NAME` per input. */
function hashSum(algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512', path: string): Command {
  return {
    path,
    async run(ctx) {
      const { operands } = parseFlags(ctx.args);
      const { inputs, failed } = await readInputs(ctx, operands);
      for (const input of inputs) ctx.stdout(`${createHash(algorithm).update(input.data).digest('hex')}  ${input.name}\n`);
      return failed ? 1 : 0;
    },
  };
}

export const md5sum = hashSum('md5', '/usr/bin/md5sum');
export const sha1sum = hashSum('sha1', '/usr/bin/sha1sum');
export const sha256sum = hashSum('sha256', '/usr/bin/sha256sum');
export const sha512sum = hashSum('sha512', '/usr/bin/sha512sum');
