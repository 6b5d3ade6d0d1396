import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportError } from './report-error.js';

/**
 * The program with the commands `argv` needs: the one named, or all of them
 * (for help and for a name that is not a command, which commander reports).
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('honeyscope')
    .description('SSH honeypot and threat-intelligence workbench')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const name = argv[2];
  const loaders = name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
  return program;
}

/** Parses argv and runs the command; errors are reported once, here. */
export async function main(argv: string[]): Promise<void> {
  try {
    await (await createProgram(argv)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed help or the usage error.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(err);
  }
}
