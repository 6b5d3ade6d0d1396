import type { Alert } from './alert.js';
import type { AlertSink } from './alert-sink.js';

/** OSSEC's alerts.log block for one alert (rule, level, addresses, indicator, the original line). */
export function formatConsoleAlert(alert: Alert): string {
  const lines = [
    `** Alert ${alert.timestamp}: - ${alert.rule.groups.join(',')}${alert.rule.groups.length > 0 ? ',' : ''}`,
    `${alert.log.file}:${alert.log.line}`,
    `Rule: ${alert.rule.id} (level ${alert.rule.level}) -> '${alert.rule.description}'${alert.count > 1 ? ` (${alert.count} times)` : ''}`,
  ];
  const addr = [
    alert.src_ip !== undefined ? `Src IP: ${alert.src_ip}` : '',
    alert.src_port !== undefined ? `Src Port: ${alert.src_port}` : '',
    alert.dst_ip !== undefined ? `Dst IP: ${alert.dst_ip}` : '',
    alert.dst_port !== undefined ? `Dst Port: ${alert.dst_port}` : '',
  ].filter((s) => s !== '');
  if (addr.length > 0) lines.push(addr.join('\n'));
  if (alert.indicator) {
    lines.push(`Indicator: ${alert.indicator.seen} (${alert.indicator.where}) listed as ${alert.indicator.indicators.join(', ')} by ${alert.indicator.sources.join(', ')}`);
  }
  lines.push(alert.log.record.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?'), '');
  return `${lines.join('\n')}\n`;
}

export function createConsoleAlertSink(stream: NodeJS.WritableStream = process.stdout): AlertSink {
  return {
    name: 'console',
    async write(alert: Alert): Promise<void> {
      stream.write(formatConsoleAlert(alert));
    },
    async close(): Promise<void> {},
  };
}
