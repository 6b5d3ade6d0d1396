import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import { JetStreamSink } from './jetstream-sink.js';

/** The sensor's fleet publisher from its config: subject per sensor name, spool in DATA/spool. */
export function createFleetSink(config: Pick<ResolvedConfig, 'core' | 'fleet'>, logger: Logger): Promise<JetStreamSink> {
  return JetStreamSink.open({
    fleet: config.fleet,
    sensor: config.core.sensorName || hostname(),
    spoolDir: join(resolve(config.core.dataDir), 'spool'),
    logger,
  });
}
