import { RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from 'nats';
import type { FleetConfig } from './nats-connect-options.js';

const NANOS_PER_HOUR = 3_600_000_000_000;
const DUPLICATE_WINDOW_NS = 120_000_000_000;

/**
 * Creates the fleet stream if it is missing (sensors and collectors both call
 * this; whoever comes first creates it, a race is harmless). An existing
 * stream is left as the operator configured it.
 */
export async function ensureStream(jsm: JetStreamManager, fleet: FleetConfig): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(fleet.stream);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    return await jsm.streams.add({
      name: fleet.stream,
      subjects: [`${fleet.subjectPrefix}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      max_age: Math.round(fleet.streamMaxAgeHours * NANOS_PER_HOUR),
      max_bytes: fleet.streamMaxBytes,
      // Publishers set Nats-Msg-Id, so a batch re-sent after a lost ack is stored once.
      duplicate_window: DUPLICATE_WINDOW_NS,
    });
  } catch (err) {
    // Another sensor or collector created it between our two calls.
    if (isAlreadyInUse(err)) return jsm.streams.info(fleet.stream);
    throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number; code?: number } }).api_error;
  return api?.code === 404 || /not found/i.test(String((err as Error).message));
}

function isAlreadyInUse(err: unknown): boolean {
  return /already in use|already exists/i.test(String((err as Error).message));
}
