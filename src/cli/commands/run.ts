import type { Command } from 'commander';
import { createLogger } from '../../lib/logger.js';
import { logStrayRejections } from '../log-stray-rejections.js';
import { openStore } from '../../store/open-store.js';
import { StoreSink } from '../../store/store-sink.js';
import { openSqlRunner, startDashboard } from '../../web/start-dashboard.js';
import { startCaptureScanning } from '../../scan/start-capture-scanning.js';
import { startIntelSchedule } from '../../intel/intel-schedule.js';
import { honeypotEventsFromStore } from '../../intel/sources/honeypot-store-events.js';
import { openIntelStore } from '../../store/intel/open-intel-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { startSensorRuntime, untilSignal } from '../sensor-runtime.js';

interface RunOptions extends CommonOptions {
  listen?: string;
  webListen?: string;
}

export function registerRun(program: Command): void {
  withCommonOptions(
    program
      .command('run')
      .description('the main job: sensor + store + dashboard in one process; clamd scanning when scan.enabled, intel sync and exports every intel.syncIntervalMinutes')
      .option('-l, --listen <host:port>', 'sensor address (default 127.0.0.1:2222)')
      .option('-w, --web-listen <host:port>', 'dashboard address (default 127.0.0.1:8080)'),
    { store: true },
  ).action(async (opts: RunOptions) => {
    const overrides: Record<string, Record<string, unknown>> = {};
    if (opts.listen) overrides.sensor = { listen: opts.listen };
    if (opts.webListen) overrides.web = { listen: opts.webListen };
    const config = resolveConfig(opts, overrides);
    const logger = createLogger({ level: config.core.logLevel });
    logStrayRejections(logger);
    // The dashboard's read connection opens first: for DuckDB it holds the instance the store shares.
    const sql = await openSqlRunner(config);
    const store = await openStore(config);
    const storeSink = new StoreSink(store, { logger });
    const runtime = await startSensorRuntime(config, logger, { sinks: [storeSink] });
    const scanning = await startCaptureScanning({ config: runtime.config, dispatcher: runtime.dispatcher, logger });
    const dashboard = await startDashboard({ config: runtime.config, logger, store, sql, dispatcher: runtime.dispatcher, sink: storeSink });
    const intelStore = await openIntelStore(runtime.config);
    const intel = startIntelSchedule(runtime.config, { store: intelStore, readEvents: honeypotEventsFromStore(store), logger });
    const { host, port } = runtime.sensor.address;
    process.stdout.write(
      `sensor listening on ${host}:${port}, events in ${runtime.logPath}\n` +
        `dashboard on ${dashboard.url}/\n` +
        (scanning ? 'scanning captured files with clamd\n' : '') +
        `try: npx honeyscope simulate --target ${host}:${port}\n`,
    );
    const signal = await untilSignal();
    logger.info({ signal }, 'shutting down');
    await runtime.sensor.close();
    await intel.stop();
    await intelStore.close();
    await scanning?.stop();
    // Flushes the store sink while the store is still open.
    await runtime.dispatcher.close();
    await dashboard.close();
    await store.close();
  });
}
