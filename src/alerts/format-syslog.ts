import type { Alert } from './alert.js';

/** RFC 5424 severity for an OSSEC level (0-15). */
export function syslogSeverity(level: number): number {
  if (level >= 12) return 2;
  if (level >= 10) return 3;
  if (level >= 7) return 4;
  if (level >= 4) return 5;
  return 6;
}

export interface SyslogFormatOptions {
  /** Facility number (16 = local0). */
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

// Private enterprise number 32473 is reserved for documentation (RFC 5612).
const SD_ID = 'honeyscope@32473';

/** One RFC 5424 message: header, one structured-data element with the alert's keys, then the description. */
export function formatSyslog(alert: Alert, options: SyslogFormatOptions): string {
  const pri = options.facility * 8 + syslogSeverity(alert.rule.level);
  const params: [string, unknown][] = [
    ['rule', alert.rule.id],
    ['level', alert.rule.level],
    ['kind', alert.kind],
    ['src', alert.src_ip],
    ['dst', alert.dst_ip],
    ['indicator', alert.indicator?.seen],
    ['where', alert.indicator?.where],
    ['sources', alert.indicator?.sources.join(',')],
    ['count', alert.count],
    ['id', alert.id],
  ];
  const sd = params
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${String(v).replace(/[\\"\]]/g, (c) => `\\${c}`)}"`)
    .join(' ');
  const msg = `${alert.rule.description}${alert.indicator ? `: ${alert.indicator.seen}` : ''}`.replace(/[\r\n]/g, ' ');
  return `<${pri}>1 ${alert.timestamp} ${header(options.hostname)} ${header(options.appName)} ${header(options.procId)} alert [${SD_ID} ${sd}] ${msg}`;
}

/** Header fields are printable US-ASCII without spaces, at most 48 octets; `-` when empty. */
function header(value: string): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, 48);
  return clean === '' ? '-' : clean;
}
