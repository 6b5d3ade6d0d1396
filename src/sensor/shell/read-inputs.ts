import type { CommandContext } from './command.js';
import { FsError } from './fake-fs.js';

/**
 * The inputs of a filter (cat, grep, head, wc): each named file, or stdin when
 * there is none (or for `-`). Errors are printed as `name: file: reason`;
 * `failed` says whether any occurred.
 */
export async function readInputs(ctx: CommandContext, files: readonly string[]): Promise<{ inputs: Array<{ name: string; data: Buffer }>; failed: boolean }> {
  const inputs: Array<{ name: string; data: Buffer }> = [];
  let failed = false;
  const names = files.length === 0 ? ['-'] : files;
  for (const name of names) {
    if (name === '-') {
      inputs.push({ name, data: await ctx.readStdin() });
      continue;
    }
    try {
      inputs.push({ name, data: await ctx.shell.fs.readFile(ctx.shell.resolvePath(name)) });
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      ctx.stderr(`${ctx.name}: ${name}: ${err.message}\n`);
      failed = true;
    }
  }
  return { inputs, failed };
}
