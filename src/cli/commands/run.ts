import type { Command } from 'commander';
import { createLogger } from '../../lib/logger.js';
import { errorMessage } from '../../lib/errors.js';
import type { Store } from '../../store/store.js';
import type { SqlRunner } from '../../web/sql/sql-runner.js';
import type { WebServer } from '../../web/start-web-server.js';
import type { CaptureScanning } from '../../scan/start-capture-scanning.js';
import type { IntelSchedule } from '../../intel/intel-schedule.js';
import type { IntelStore } from '../../intel/intel-store.js';
import { logStrayRejections } from '../log-stray-rejections.js';
import { openStore } from '../../store/open-store.js';
import { StoreSink } from '../../store/store-sink.js';
import { openSqlRunner, startDashboard } from '../../web/start-dashboard.js';
import { startCaptureScanning } from '../../scan/start-capture-scanning.js';
import { startIntelSchedule } from '../../intel/intel-schedule.js';
import { honeypotEventsFromStore } from '../../intel/sources/honeypot-store-events.js';
import { openIntelStore } from '../../store/intel/open-intel-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { startSensorRuntime, untilSignal, type SensorRuntime } from '../sensor-runtime.js';

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
    const parts: RunParts = {};
    try {
      // The dashboard's read connection opens first: for DuckDB it holds the instance the store shares.
      parts.sql = await openSqlRunner(config);
      const store = (parts.store = await openStore(config));
      const storeSink = new StoreSink(store, { logger });
      const runtime = (parts.runtime = await startSensorRuntime(config, logger, { sinks: [storeSink] }));
      const scanning = (parts.scanning = await startCaptureScanning({ config: runtime.config, dispatcher: runtime.dispatcher, logger }));
      const dashboard = (parts.dashboard = await startDashboard({ config: runtime.config, logger, store, sql: parts.sql, dispatcher: runtime.dispatcher, sink: storeSink }));
      parts.intelStore = await openIntelStore(runtime.config);
      parts.intel = startIntelSchedule(runtime.config, { store: parts.intelStore, readEvents: honeypotEventsFromStore(store), logger });
      const { host, port } = runtime.sensor.address;
      process.stdout.write(
        `sensor listening on ${host}:${port}, events in ${runtime.logPath}\n` +
          `dashboard on ${dashboard.url}/\n` +
          (scanning ? 'scanning captured files with clamd\n' : '') +
          `try: npx honeyscope simulate --target ${host}:${port}\n`,
      );
    } catch (err) {
      // A part that failed to start (a busy port, say) must not leave the others running headless.
      await stopParts(parts).catch((stopErr: unknown) => logger.error({ err: errorMessage(stopErr) }, 'stopping after a failed start'));
      throw err;
    }
    const signal = await untilSignal();
    logger.info({ signal }, 'shutting down');
    await stopParts(parts);
  });
}

interface RunParts {
  sql?: SqlRunner;
  store?: Store;
  runtime?: SensorRuntime;
  scanning?: CaptureScanning | undefined;
  dashboard?: WebServer;
  intelStore?: IntelStore;
  intel?: IntelSchedule;
}

/** Stops what started, in an order that loses no event: the sensor first, the store last. */
async function stopParts(p: RunParts): Promise<void> {
  await p.runtime?.sensor.close();
  await p.intel?.stop();
  await p.intelStore?.close();
  await p.scanning?.stop();
  // Flushes the store sink while the store is still open.
  await p.runtime?.dispatcher.close();
  // The dashboard closes the read connection it was given; without a dashboard it is closed here.
  if (p.dashboard) await p.dashboard.close();
  else await p.sql?.close();
  await p.store?.close();
}
