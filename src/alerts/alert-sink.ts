import type { Alert } from './alert.js';

/** Where alerts go. `write` resolves once the alert is delivered and rejects when it was not. */
export interface AlertSink {
  readonly name: string;
  write(alert: Alert): Promise<void>;
  close(): Promise<void>;
}
