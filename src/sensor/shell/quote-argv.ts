/** argv as one shell line that parses back to the same words (for env, nohup, sudo running a command). */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
}
