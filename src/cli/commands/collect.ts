import type { Command } from 'commander';
import { Collector } from '../../fleet/collector.js';
import { readFleetStatus, type FleetStatus } from '../../fleet/read-fleet-status.js';
import { HoneyscopeError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { untilSignal } from '../sensor-runtime.js';

interface CollectOptions extends CommonOptions {
  nats?: string;
  postgres?: string;
}

interface StatusOptions extends CommonOptions {
  nats?: string;
  interval: string;
  json?: boolean;
}

export function registerCollect(program: Command): void {
  const collect = withCommonOptions(
    program
      .command('collect')
      .description('store the fleet\'s events from NATS JetStream in PostgreSQL (run several to share the load)')
      .option('--nats <url>', 'NATS server(s), nats://HOST:PORT (or "fleet.url")')
      .option('--postgres <url>', 'postgres:// URL (or "store.url", HONEYSCOPE_STORE_URL)'),
  ).action(async (opts: CollectOptions) => {
    const config = resolveConfig(opts, { ...fleetOverride(opts.nats), ...(opts.postgres ? { store: { url: opts.postgres } } : {}) });
    if (config.store.url === '') {
      throw new HoneyscopeError('HS_USAGE', 'Cannot start the collector: no PostgreSQL URL; pass --postgres or set "store.url" (HONEYSCOPE_STORE_URL)');
    }
    const logger = createLogger({ level: config.core.logLevel });
    const store = await PostgresStore.open(config.store.url);
    try {
      const collector = await Collector.start({ fleet: config.fleet, store, logger, statsIntervalMs: 10_000 });
      process.stdout.write(`collector pulling stream ${config.fleet.stream} (consumer ${config.fleet.consumer}) into PostgreSQL\n`);
      const signal = await untilSignal();
      logger.info({ signal, ...collector.stats() }, 'shutting down');
      await collector.close();
    } finally {
      await store.close();
    }
  });

  // The program parses options before subcommands, so --nats, --config and --data reach `collect` wherever they appear.
  collect
    .command('status')
    .description('lag and rate of the collectors: messages waiting, being stored, acked per second')
    .option('--interval <ms>', 'sampling interval for the rate', '1000')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nTakes --nats, --config and --data as collect does: honeyscope collect status --nats nats://HOST:PORT')
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<StatusOptions>();
      const config = resolveConfig(opts, fleetOverride(opts.nats));
      const intervalMs = Number(opts.interval);
      if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new HoneyscopeError('HS_USAGE', `Cannot read --interval "${opts.interval}": expected a whole number of milliseconds`);
      const status = await readFleetStatus(config.fleet, { intervalMs });
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
    });
}

function fleetOverride(url: string | undefined): Record<string, Record<string, unknown>> {
  return url ? { fleet: { url } } : {};
}

function renderStatus(s: FleetStatus): string {
  const lag = s.lagSeconds === null ? 'not draining' : `${s.lagSeconds.toFixed(1)} s`;
  return [
    `stream ${s.stream}: ${s.streamMessages} messages, ${s.streamBytes} bytes, last seq ${s.lastSeq}`,
    `consumer ${s.consumer}: ${s.pending} pending, ${s.ackPending} being stored, ${s.redelivered} redelivered, ${s.waitingPulls} waiting pulls`,
    `rate ${s.ackedPerSecond.toFixed(1)} messages/s acked; lag ${s.lagMessages} messages (${lag})`,
    '',
  ].join('\n');
}
