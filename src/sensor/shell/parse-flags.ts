export interface ParsedFlags {
  /** Short letters and long names seen (`l`, `all`). */
  readonly flags: ReadonlySet<string>;
  /** Values of options that take one (last wins). */
  readonly values: ReadonlyMap<string, string>;
  readonly operands: readonly string[];
}

/**
 * A small getopt: combined short flags (`-la`), attached or separate values
 * (`-n5`, `-n 5`), `--long`, `--long=value`, `--`. `valued` lists the short
 * letters and long names that take a value. Pure.
 */
export function parseFlags(args: readonly string[], valued: readonly string[] = []): ParsedFlags {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  const takes = new Set(valued);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      flags.add(name);
      if (eq >= 0) values.set(name, arg.slice(eq + 1));
      else if (takes.has(name) && i + 1 < args.length) values.set(name, args[++i] as string);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        flags.add(letter);
        if (takes.has(letter)) {
          const rest = arg.slice(j + 1);
          if (rest !== '') values.set(letter, rest);
          else if (i + 1 < args.length) values.set(letter, args[++i] as string);
          break;
        }
      }
      continue;
    }
    operands.push(arg);
  }
  return { flags, values, operands };
}
