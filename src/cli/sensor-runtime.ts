import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { EventDispatcher } from '../events/dispatcher.js';
import { JsonlSink } from '../events/jsonl-sink.js';
import type { Logger } from '../lib/logger.js';
import type { Sink } from '../events/sink.js';
import { sensorUuid } from '../sensor/sensor-uuid.js';
import { startSensor, type Sensor } from '../sensor/sensor.js';

export interface SensorRuntime {
  readonly config: ResolvedConfig;
  readonly dispatcher: EventDispatcher;
  readonly sensor: Sensor;
  readonly logPath: string;
  close(): Promise<void>;
}

/**
 * The sensor with its always-on event log (DATA/log/cowrie.json) and any
 * further sinks (store, fleet), all attached before the first connection.
 */
export async function startSensorRuntime(config: ResolvedConfig, logger: Logger, options: { sinks?: readonly Sink[] } = {}): Promise<SensorRuntime> {
  const dataDir = resolve(config.core.dataDir);
  const resolved = { ...config, core: { ...config.core, dataDir } };
  const dispatcher = new EventDispatcher({ sensor: config.core.sensorName || hostname(), uuid: await sensorUuid(dataDir), logger });
  const logPath = join(dataDir, 'log', 'cowrie.json');
  dispatcher.addSink(new JsonlSink({ path: logPath, fsync: config.log.fsync, rotateDaily: config.log.rotateDaily, gzipRotated: config.log.gzipRotated, logger }));
  for (const sink of options.sinks ?? []) dispatcher.addSink(sink);
  let sensor: Sensor;
  try {
    sensor = await startSensor({ config: resolved, dispatcher, logger });
  } catch (err) {
    await dispatcher.close();
    throw err;
  }
  return {
    config: resolved,
    dispatcher,
    sensor,
    logPath,
    async close() {
      await sensor.close();
      await dispatcher.close();
    },
  };
}

/** Resolves on SIGINT/SIGTERM, so a command can shut down in order. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
