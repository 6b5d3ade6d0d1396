import { join } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { AlertSink } from './alert-sink.js';
import { createConsoleAlertSink } from './console-alert-sink.js';
import { createJsonlAlertSink } from './jsonl-alert-sink.js';
import { createSyslogAlertSink } from './syslog-alert-sink.js';
import { createWebhookAlertSink } from './webhook-alert-sink.js';

/** The path of the JSONL alert log: alerts.sinks.jsonl.path, else DATA/alerts/alerts.jsonl. */
export function alertLogPath(config: Pick<ResolvedConfig, 'core' | 'alerts'>): string {
  return config.alerts.sinks.jsonl.path !== '' ? config.alerts.sinks.jsonl.path : join(config.core.dataDir, 'alerts', 'alerts.jsonl');
}

/** The sinks the config enables, in a fixed order: jsonl, console, syslog, webhook. */
export function createAlertSinks(config: Pick<ResolvedConfig, 'core' | 'alerts'>, options: { stdout?: NodeJS.WritableStream } = {}): AlertSink[] {
  const { sinks } = config.alerts;
  const out: AlertSink[] = [];
  if (sinks.jsonl.enabled) out.push(createJsonlAlertSink(alertLogPath(config)));
  if (sinks.console.enabled) out.push(createConsoleAlertSink(options.stdout));
  if (sinks.syslog.enabled) {
    out.push(createSyslogAlertSink({ host: sinks.syslog.host, port: sinks.syslog.port, protocol: sinks.syslog.protocol, facility: sinks.syslog.facility, appName: sinks.syslog.appName }));
  }
  if (sinks.webhook.enabled) out.push(createWebhookAlertSink({ url: sinks.webhook.url, headers: sinks.webhook.headers, timeoutMs: sinks.webhook.timeoutMs }));
  return out;
}
