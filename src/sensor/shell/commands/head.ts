import type { Command, CommandContext } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

/** head and tail: `-n N`, `-N`, `-c N`. */
async function slice(ctx: CommandContext, fromEnd: boolean): Promise<number> {
  const args = ctx.args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const { values, operands } = parseFlags(args, ['n', 'c', 'lines', 'bytes']);
  const bytesText = values.get('c') ?? values.get('bytes');
  const linesText = values.get('n') ?? values.get('lines') ?? '10';
  const count = Math.abs(Number.parseInt(bytesText ?? linesText, 10));
  if (!Number.isFinite(count)) {
    ctx.stderr(`${ctx.name}: invalid number of lines: '${linesText}'\n`);
    return 1;
  }
  const { inputs, failed } = await readInputs(ctx, operands);
  for (const [index, input] of inputs.entries()) {
    if (inputs.length > 1) ctx.stdout(`${index > 0 ? '\n' : ''}==> ${input.name} <==\n`);
    if (bytesText !== undefined) {
      ctx.stdout(fromEnd ? input.data.subarray(Math.max(0, input.data.length - count)) : input.data.subarray(0, count));
      continue;
    }
    const lines = input.data.toString('utf8').split('\n');
    const trailing = lines[lines.length - 1] === '';
    if (trailing) lines.pop();
    const picked = fromEnd ? lines.slice(Math.max(0, lines.length - count)) : lines.slice(0, count);
    if (picked.length > 0) ctx.stdout(`${picked.join('\n')}${trailing || picked.length < lines.length ? '\n' : ''}`);
  }
  return failed ? 1 : 0;
}

export const head: Command = {
  path: '/usr/bin/head',
  run(ctx) {
    return slice(ctx, false);
  },
};

export const tail: Command = {
  path: '/usr/bin/tail',
  run(ctx) {
    return slice(ctx, true);
  },
};
