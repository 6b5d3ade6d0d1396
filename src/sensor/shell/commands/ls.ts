import { posix } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import type { FsStat } from '../fake-fs.js';
import { formatMode } from '../format-mode.js';
import { parseFlags } from '../parse-flags.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = 182 * 86_400_000;

export const ls: Command = {
  path: '/usr/bin/ls',
  run(ctx) {
    const { flags, operands } = parseFlags(ctx.args);
    const long = flags.has('l');
    const all = flags.has('a') || flags.has('all');
    const almost = flags.has('A');
    const human = flags.has('h');
    const dirOnly = flags.has('d');
    const onePerLine = flags.has('1') || long || !ctx.tty;
    const targets = operands.length === 0 ? ['.'] : operands;
    let status = 0;
    const files: Array<[string, FsStat]> = [];
    const dirs: string[] = [];
    for (const target of targets) {
      const stat = ctx.shell.fs.stat(ctx.shell.resolvePath(target));
      if (stat === undefined) {
        ctx.stderr(`ls: cannot access '${target}': No such file or directory\n`);
        status = 2;
      } else if (stat.type === 'dir' && !dirOnly) dirs.push(target);
      else files.push([target, stat]);
    }
    const print = (entries: Array<[string, FsStat]>, total: boolean): void => {
      if (long) {
        if (total) ctx.stdout(`total ${entries.reduce((sum, [, s]) => sum + Math.ceil(s.size / 4096) * 4, 0)}\n`);
        for (const [name, stat] of entries) ctx.stdout(`${longLine(ctx, name, stat, human)}\n`);
      } else if (entries.length > 0) {
        ctx.stdout(`${entries.map(([name]) => name).join(onePerLine ? '\n' : '  ')}\n`);
      }
    };
    print(files, false);
    for (const [index, dir] of dirs.entries()) {
      const path = ctx.shell.resolvePath(dir);
      const names = ctx.shell.fs.list(path).filter((name) => all || almost || !name.startsWith('.'));
      if (all) names.unshift('.', '..');
      const entries = names.flatMap((name): Array<[string, FsStat]> => {
        const stat = ctx.shell.fs.stat(name === '.' || name === '..' ? posix.resolve(path, name) : posix.join(path, name));
        return stat === undefined ? [] : [[name, stat]];
      });
      if (targets.length > 1) ctx.stdout(`${index > 0 || files.length > 0 ? '\n' : ''}${dir}:\n`);
      print(entries, true);
    }
    return status;
  },
};

function longLine(ctx: CommandContext, name: string, stat: FsStat, human: boolean): string {
  const links = stat.type === 'dir' ? 2 : 1;
  const size = human ? humanSize(stat.size) : String(stat.size);
  return `${formatMode(stat)} ${links} ${stat.owner} ${stat.owner} ${size.padStart(human ? 4 : 5)} ${lsDate(stat.mtime, ctx.shell.now())} ${name}`;
}

function lsDate(mtime: number, now: number): string {
  const d = new Date(mtime);
  const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  if (Math.abs(now - mtime) > HALF_YEAR_MS) return `${head}  ${d.getUTCFullYear()}`;
  return `${head} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function humanSize(size: number): string {
  if (size < 1024) return String(size);
  const units = ['K', 'M', 'G'];
  let value = size;
  let unit = '';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${value < 10 ? Math.ceil(value * 10) / 10 : Math.ceil(value)}${unit}`;
}
