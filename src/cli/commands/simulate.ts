import type { Command } from 'commander';
import { splitHostPort } from '../../config/sections/host-port.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { runSimulation } from '../../simulate/run-simulation.js';

interface SimulateOptions {
  target: string;
  count: string;
  concurrency: string;
  rate: string;
  sources: string;
  failures: string;
  commands: string;
  tunnels: string;
  seed: string;
  timeout: string;
  json?: boolean;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new HoneyscopeError('HS_USAGE', `Invalid --${name} "${value}": expected an integer of at least ${min}`);
  return n;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("drive real SSH bots at a sensor as the seed's did: brute force, login, commands, outbound HTTP/SMTP/TLS attempts")
    .requiredOption('-t, --target <host:port>', 'the sensor to attack (loopback only in tests)')
    .option('-n, --count <n>', 'bots (SSH connections) to run', '20')
    .option('--concurrency <n>', 'bots at once', '10')
    .option('--rate <n>', 'new connections per second at most (0: no limit)', '0')
    .option('--sources <n>', 'distinct loopback source addresses 127.0.0.2.. (0: default address)', '4')
    .option('--failures <n>', 'wrong passwords before the login', '2')
    .option('--commands <n>', 'commands per bot', '2')
    .option('--tunnels <n>', 'outbound attempts per bot', '6')
    .option('--seed <n>', 'random seed (same seed, same run)', '1')
    .option('--timeout <ms>', 'give up on a bot after this long', '30000')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: SimulateOptions) => {
      const { host, port } = splitHostPort(opts.target);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HoneyscopeError('HS_USAGE', `Invalid --target "${opts.target}": expected HOST:PORT`);
      const summary = await runSimulation({
        host,
        port,
        count: integer('count', opts.count, 1),
        concurrency: integer('concurrency', opts.concurrency, 1),
        rate: integer('rate', opts.rate, 0),
        sources: integer('sources', opts.sources, 0),
        failures: integer('failures', opts.failures, 0),
        commands: integer('commands', opts.commands, 0),
        tunnels: integer('tunnels', opts.tunnels, 0),
        seed: integer('seed', opts.seed, 0),
        timeoutMs: integer('timeout', opts.timeout, 100),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        process.stdout.write(
          `${summary.bots} bots in ${summary.seconds.toFixed(1)} s: ${summary.loggedIn} logged in, ${summary.commands} commands, ${summary.tunnels} outbound attempts, ${summary.errors} errors\n`,
        );
      if (summary.errors > 0) process.exitCode = 1;
    });
}
