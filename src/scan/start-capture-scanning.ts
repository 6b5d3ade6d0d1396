import type { ResolvedConfig } from '../config/schema.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import type { Logger } from '../lib/logger.js';
import { attachScanQueue, dispatchScanResult } from './attach-scan-queue.js';
import type { ClamdConnect } from './clamd/client.js';
import { createClamdClients } from './clamd-clients.js';
import { createScanQueue, type ScanQueue } from './scan-queue.js';

export interface CaptureScanning {
  queue: ScanQueue;
  /** Stops taking files; returns how many were left unscanned. */
  stop(): Promise<number>;
}

/**
 * Scans every file the sensor captures with the clamd of `config.scan` and
 * dispatches `honeyscope.scan.result` events; undefined when `scan.enabled` is off.
 * Files are sent with INSTREAM, so a clamd running as another user (or on
 * another machine) can scan the sensor's private downloads.
 */
export async function startCaptureScanning(options: { config: ResolvedConfig; dispatcher: EventDispatcher; logger: Logger; connect?: ClamdConnect }): Promise<CaptureScanning | undefined> {
  const { config, dispatcher, logger } = options;
  if (!config.scan.enabled) return undefined;
  const [client] = await createClamdClients({ scan: config.scan, ...(options.connect ? { connect: options.connect } : {}) });
  const queue = createScanQueue({
    scan: (path) => client!.scanFileStream(path),
    emit: dispatchScanResult(dispatcher),
    concurrency: config.scan.queue.concurrency,
    maxQueued: config.scan.queue.maxQueued,
    retryDelayMs: config.scan.queue.retryDelayMs,
    maxInterruptedAttempts: config.scan.queue.maxInterruptedAttempts,
    scanner: `clamd ${client!.label}`,
    logger,
  });
  const detach = attachScanQueue(dispatcher, queue, config.core.dataDir);
  logger.info({ clamd: client!.label }, 'scanning captured files');
  return {
    queue,
    async stop() {
      detach();
      return queue.close();
    },
  };
}
