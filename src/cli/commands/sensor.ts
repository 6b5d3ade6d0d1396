import type { Command } from 'commander';
import { createLogger } from '../../lib/logger.js';
import { logStrayRejections } from '../log-stray-rejections.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { startSensorRuntime, untilSignal } from '../sensor-runtime.js';

export function registerSensor(program: Command): void {
  withCommonOptions(
    program
      .command('sensor')
      .description('run the SSH honeypot sensor; events go to DATA/log/cowrie.json (Cowrie JSON lines)')
      .option('-l, --listen <host:port>', 'address to listen on (default 127.0.0.1:2222)')
      .option('--fleet <url>', 'also publish events to NATS JetStream at nats://HOST:PORT (spooled in DATA/spool while it is away)'),
  ).action(async (opts: CommonOptions & { listen?: string; fleet?: string }) => {
    const config = resolveConfig(opts, { ...(opts.listen ? { sensor: { listen: opts.listen } } : {}), ...(opts.fleet ? { fleet: { url: opts.fleet } } : {}) });
    const logger = createLogger({ level: config.core.logLevel });
    logStrayRejections(logger);
    // Loaded only for a fleet sensor, so a standalone one does not pay for the NATS client.
    const sinks = config.fleet.url === '' ? [] : [await (await import('../../fleet/create-fleet-sink.js')).createFleetSink(config, logger)];
    const runtime = await startSensorRuntime(config, logger, { sinks });
    process.stdout.write(`sensor listening on ${runtime.sensor.address.host}:${runtime.sensor.address.port}, events in ${runtime.logPath}\n`);
    const signal = await untilSignal();
    logger.info({ signal }, 'shutting down');
    await runtime.close();
  });
}
