import { isAbsolute, resolve } from 'node:path';
import type { EventDispatcher } from '../events/dispatcher.js';
import type { HoneyscopeEvent, SessionIdentity } from '../events/event.js';
import type { CapturedFile, ScanQueue, ScanResultFields } from './scan-queue.js';

const CAPTURE_EVENTS = new Set(['cowrie.session.file_download', 'cowrie.session.file_upload']);

/**
 * The captured file an event names, or null when it names none (a failed
 * download, a duplicate without outfile). `outfile` is resolved against the data directory.
 */
export function capturedFileOf(event: HoneyscopeEvent, dataDir: string): CapturedFile | null {
  if (!CAPTURE_EVENTS.has(event.eventid)) return null;
  const { shasum, outfile } = event;
  if (typeof shasum !== 'string' || shasum === '' || typeof outfile !== 'string' || outfile === '') return null;
  const file: CapturedFile = { shasum, outfile, path: isAbsolute(outfile) ? outfile : resolve(dataDir, outfile) };
  const identity = identityOf(event);
  if (identity) file.identity = identity;
  return file;
}

/** The session identity an event carries, rebuilt from its envelope fields. */
export function identityOf(event: HoneyscopeEvent): SessionIdentity | undefined {
  const { session, src_ip, src_port, dst_ip, dst_port } = event;
  if (typeof session !== 'string' || typeof src_ip !== 'string') return undefined;
  return {
    session,
    protocol: 'ssh',
    src_ip,
    src_port: typeof src_port === 'number' ? src_port : 0,
    dst_ip: typeof dst_ip === 'string' ? dst_ip : '',
    dst_port: typeof dst_port === 'number' ? dst_port : 0,
  };
}

/** The event message for a result, in Cowrie's plain style. */
export function scanResultMessage(fields: ScanResultFields): string {
  if (fields.verdict === 'infected') return `Scanned file ${fields.shasum}: infected (${fields.signatures.join(', ')})`;
  if (fields.verdict === 'error') return `Scanned file ${fields.shasum}: error (${fields.reason ?? 'unknown'})`;
  return `Scanned file ${fields.shasum}: clean`;
}

/**
 * Queues every file the sensor captures and dispatches each result as a
 * `honeyscope.scan.result` event under the capturing session's identity.
 * Returns the unsubscribe function.
 */
export function attachScanQueue(dispatcher: EventDispatcher, queue: ScanQueue, dataDir: string): () => void {
  return dispatcher.subscribe(function queueCapturedFile(event) {
    const file = capturedFileOf(event, dataDir);
    if (file) queue.enqueue(file);
  });
}

/** The `emit` for createScanQueue that dispatches results through `dispatcher`. */
export function dispatchScanResult(dispatcher: EventDispatcher): (fields: ScanResultFields, file: CapturedFile) => Promise<unknown> {
  return function emitScanResult(fields, file) {
    return dispatcher.dispatch({
      eventid: 'honeyscope.scan.result',
      message: scanResultMessage(fields),
      fields: { ...fields },
      ...(file.identity ? { identity: file.identity } : {}),
    });
  };
}
