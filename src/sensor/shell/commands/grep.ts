import type { Command } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { readInputs } from '../read-inputs.js';

/**
 * grep with fixed-string matching (plus `^`/`$` anchors): attacker patterns are
 * never compiled as regular expressions, so none can backtrack for ever.
 */
export const grep: Command = {
  path: '/usr/bin/grep',
  async run(ctx) {
    const { flags, values, operands } = parseFlags(ctx.args, ['e', 'm', 'A', 'B', 'C']);
    const pattern = values.get('e') ?? operands[0];
    if (pattern === undefined) {
      ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    const files = values.has('e') ? operands : operands.slice(1);
    const ignoreCase = flags.has('i');
    const invert = flags.has('v');
    const matcher = fixedMatcher(flags.has('F') ? pattern : pattern.replace(/\\(.)/g, '$1'), { ignoreCase, anchors: !flags.has('F') });
    const { inputs, failed } = await readInputs(ctx, files);
    let count = 0;
    for (const input of inputs) {
      let fileCount = 0;
      const lines = input.data.toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const [index, line] of lines.entries()) {
        if (matcher(line) === invert) continue;
        fileCount++;
        if (flags.has('q') || flags.has('c') || flags.has('l')) continue;
        const prefix = `${files.length > 1 ? `${input.name}:` : ''}${flags.has('n') ? `${index + 1}:` : ''}`;
        ctx.stdout(`${prefix}${line}\n`);
      }
      if (flags.has('c')) ctx.stdout(`${files.length > 1 ? `${input.name}:` : ''}${fileCount}\n`);
      if (flags.has('l') && fileCount > 0) ctx.stdout(`${input.name === '-' ? '(standard input)' : input.name}\n`);
      count += fileCount;
    }
    if (failed && !flags.has('q')) return 2;
    return count > 0 ? 0 : 1;
  },
};

function fixedMatcher(pattern: string, options: { ignoreCase: boolean; anchors: boolean }): (line: string) => boolean {
  let needle = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const start = options.anchors && needle.startsWith('^');
  const end = options.anchors && needle.endsWith('$') && !needle.endsWith('\\$');
  if (start) needle = needle.slice(1);
  if (end) needle = needle.slice(0, -1);
  return function match(raw: string): boolean {
    const line = options.ignoreCase ? raw.toLowerCase() : raw;
    if (start && end) return line === needle;
    if (start) return line.startsWith(needle);
    if (end) return line.endsWith(needle);
    return line.includes(needle);
  };
}
