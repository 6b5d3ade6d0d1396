import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Alert } from './alert.js';
import type { AlertSink } from './alert-sink.js';

/**
 * Appends alerts as JSON lines (the dashboard reads DATA/alerts/alerts.jsonl).
 * Each line is written with one append and synced, so a reader never sees half an alert.
 */
export function createJsonlAlertSink(path: string): AlertSink {
  let handle: Promise<FileHandle> | undefined;
  const file = (): Promise<FileHandle> => {
    handle ??= mkdir(dirname(path), { recursive: true }).then(() => open(path, 'a'));
    return handle;
  };
  return {
    name: 'jsonl',
    async write(alert: Alert): Promise<void> {
      const fh = await file();
      await fh.appendFile(`${JSON.stringify(alert)}\n`);
      await fh.datasync();
    },
    async close(): Promise<void> {
      if (handle) await (await handle).close();
      handle = undefined;
    },
  };
}
