import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';

const LONG: Record<string, string> = {
  all: 'a',
  'kernel-name': 's',
  nodename: 'n',
  'kernel-release': 'r',
  'kernel-version': 'v',
  machine: 'm',
  processor: 'p',
  'hardware-platform': 'i',
  'operating-system': 'o',
};

export const uname: Command = {
  path: '/usr/bin/uname',
  run(ctx) {
    const { flags } = parseFlags(ctx.args);
    const shell = ctx.shell.config.shell;
    const want = new Set<string>();
    for (const flag of flags) {
      const letter = LONG[flag] ?? flag;
      if (!'asnrvmpio'.includes(letter) || letter.length !== 1) {
        ctx.stderr(`uname: invalid option -- '${flag}'\nTry 'uname --help' for more information.\n`);
        return 1;
      }
      want.add(letter);
    }
    const all = want.has('a');
    if (want.size === 0) want.add('s');
    const fields: Array<[string, string]> = [
      ['s', 'Linux'],
      ['n', shell.hostname],
      ['r', shell.kernel],
      ['v', shell.kernelBuild],
      ['m', shell.arch],
      ['p', 'unknown'],
      ['i', 'unknown'],
      ['o', 'GNU/Linux'],
    ];
    // As GNU uname: -a leaves out -p and -i when they are unknown.
    const out = fields.filter(([letter]) => (all ? letter !== 'p' && letter !== 'i' : want.has(letter))).map(([, value]) => value);
    ctx.stdout(`${out.join(' ')}\n`);
    return 0;
  },
};
