import { HoneyscopeError } from '../lib/errors.js';
import type { Alert } from './alert.js';
import type { AlertSink } from './alert-sink.js';

export interface WebhookSinkOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * POSTs each alert as JSON. Any answer but 2xx, a network error or a timeout
 * rejects, so the dispatcher retries with backoff.
 */
export function createWebhookAlertSink(options: WebhookSinkOptions): AlertSink {
  return {
    name: 'webhook',
    async write(alert: Alert): Promise<void> {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch (err) {
        throw new HoneyscopeError('HS_IO', `Cannot POST alert to ${options.url}: ${(err as Error).message}`, { cause: err });
      }
      await response.arrayBuffer();
      if (!response.ok) throw new HoneyscopeError('HS_IO', `Cannot POST alert to ${options.url}: server answered ${response.status}`);
    },
    async close(): Promise<void> {},
  };
}
