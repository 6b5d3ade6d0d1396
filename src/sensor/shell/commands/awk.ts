import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

/**
 * The awk bots use to cut fields: `[NR == N | FNR == N | /text/] {print $a, $b, ...}`
 * (also `print`, `print $0`, `print NF`). Anything else is a syntax error; no
 * attacker program is ever evaluated beyond this.
 */
export const awk: Command = {
  path: '/usr/bin/awk',
  async run(ctx) {
    const { values, operands } = parseFlags(ctx.args, ['F', 'v', 'f']);
    const [source, ...files] = operands;
    if (source === undefined) {
      ctx.stderr('usage: awk [-F value] [-v var=value] [--] \'program text\' [file ...]\n');
      return 2;
    }
    const program = parseAwk(source);
    if (program === undefined) {
      ctx.stderr(`awk: line 1: syntax error at or near ${source.trim().slice(0, 1) || 'end of file'}\n`);
      return 2;
    }
    const separator = values.get('F');
    const { inputs, failed } = await readInputs(ctx, files);
    let nr = 0;
    for (const input of inputs) {
      const lines = input.data.toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const [index, line] of lines.entries()) {
        nr++;
        const fields = splitFields(line, separator);
        if (program.nr !== undefined && (program.fnr ? index + 1 : nr) !== program.nr) continue;
        if (program.match !== undefined && !line.includes(program.match)) continue;
        const out = program.print.map((item) => (item === 'NF' ? String(fields.length) : item === 0 ? line : (fields[item - 1] ?? '')));
        ctx.stdout(`${out.join(' ')}\n`);
      }
    }
    return failed ? 2 : 0;
  },
};

interface AwkProgram {
  nr: number | undefined;
  fnr: boolean;
  match: string | undefined;
  /** Field numbers (0 = whole line) or NF. */
  print: Array<number | 'NF'>;
}

function parseAwk(source: string): AwkProgram | undefined {
  const match = /^\s*(?:(F?NR)\s*==\s*(\d+)|\/([^/]*)\/)?\s*\{\s*print\s*([^}]*?)\s*;?\s*\}\s*$/.exec(source);
  if (match === null) return undefined;
  const items = (match[4] ?? '').trim();
  const print: Array<number | 'NF'> = [];
  for (const item of items === '' ? ['$0'] : items.split(/\s*,\s*|\s+/)) {
    if (item === 'NF') print.push('NF');
    else if (/^\$\d+$/.test(item)) print.push(Number(item.slice(1)));
    else return undefined;
  }
  return { nr: match[2] === undefined ? undefined : Number(match[2]), fnr: match[1] === 'FNR', match: match[3], print };
}

function splitFields(line: string, separator: string | undefined): string[] {
  if (separator === undefined || separator === ' ') return line.trim().split(/[ \t]+/).filter(Boolean);
  return line.split(separator === '\\t' ? '\t' : separator);
}
