import type { Command } from 'commander';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { hashPassword } from '../../web/password-hash.js';
import { startDashboard } from '../../web/start-dashboard.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { untilSignal } from '../sensor-runtime.js';

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** `honeyscope serve`, and `honeyscope web hash-password` for the `web.users` entries it checks. */
export function registerServe(program: Command): void {
  program
    .command('web')
    .description('dashboard utilities')
    .command('hash-password')
    .description('read a password from stdin (first line) and print its scrypt hash for web.users')
    .action(async () => {
      const password = await readFirstLine(process.stdin);
      if (password === '') throw new HoneyscopeError('HS_USAGE', 'Cannot hash an empty password: expected it on the first line of stdin');
      process.stdout.write(`${await hashPassword(password)}\n`);
    });

  withCommonOptions(
    program
      .command('serve')
      .description('serve the web dashboard and its JSON API over the store (loopback by default)')
      .option('-l, --listen <host:port>', 'address to listen on (default 127.0.0.1:8080; anything else needs web.token or web.users)'),
    { store: true },
  ).action(async (opts: CommonOptions & { listen?: string }) => {
    const config = resolveConfig(opts, opts.listen ? { web: { listen: opts.listen } } : {});
    const logger = createLogger({ level: config.core.logLevel });
    const server = await startDashboard({ config, logger });
    process.stdout.write(`dashboard on ${server.url}/\n`);
    const signal = await untilSignal();
    logger.info({ signal }, 'shutting down');
    await server.close();
  });
}
