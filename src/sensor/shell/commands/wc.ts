import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

export const wc: Command = {
  path: '/usr/bin/wc',
  async run(ctx) {
    const { flags, operands } = parseFlags(ctx.args);
    let want = ['l', 'w', 'c'].filter((f) => flags.has(f) || (f === 'c' && flags.has('m')));
    if (want.length === 0) want = ['l', 'w', 'c'];
    const { inputs, failed } = await readInputs(ctx, operands);
    const totals = { l: 0, w: 0, c: 0 };
    const rows: Array<[string, { l: number; w: number; c: number }]> = [];
    for (const input of inputs) {
      const text = input.data.toString('utf8');
      const counts = { l: input.data.filter((b) => b === 0x0a).length, w: text.split(/\s+/).filter(Boolean).length, c: input.data.length };
      totals.l += counts.l;
      totals.w += counts.w;
      totals.c += counts.c;
      rows.push([input.name, counts]);
    }
    if (rows.length > 1) rows.push(['total', totals]);
    // GNU wc: one count of one input is unpadded; stdin gets width 7; files share the width of the largest byte count.
    const single = want.length === 1 && rows.length === 1;
    const width = single ? 0 : operands.length === 0 ? 7 : Math.max(1, ...rows.map(([, c]) => String(c.c).length));
    for (const [name, counts] of rows) {
      const cells = want.map((f) => String(counts[f as 'l' | 'w' | 'c']).padStart(width)).join(' ');
      ctx.stdout(`${cells}${name === '-' ? '' : ` ${name}`}\n`);
    }
    return failed ? 1 : 0;
  },
};
