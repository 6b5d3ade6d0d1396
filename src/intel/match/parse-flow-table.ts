import { splitCsvLine } from '../sources/feed-line.js';
import type { LogRecord } from './log-record.js';
import { parseIpv4, parseIpv6 } from './parse-ip.js';
import { port } from './parse-zeek.js';

const ALIASES: Record<'sip' | 'dip' | 'sport' | 'dport' | 'stime', readonly string[]> = {
  sip: ['sip', 'srcip', 'src_ip', 'srcaddr', 'src_addr', 'saddr', 'source_ip', 'src', 'sa', 'id.orig_h'],
  dip: ['dip', 'dstip', 'dst_ip', 'dstaddr', 'dst_addr', 'daddr', 'destination_ip', 'dst', 'da', 'id.resp_h'],
  sport: ['sport', 'srcport', 'src_port', 'sp', 'id.orig_p'],
  dport: ['dport', 'dstport', 'dst_port', 'dp', 'id.resp_p'],
  stime: ['stime', 'start', 'starttime', 'ts', 'timestamp', 'first', 'time'],
};

/** A flow table's layout, from its title line (rwcut, with or without columns, or CSV). */
export interface FlowTable {
  separator: string;
  columns: string[];
  sip: number;
  dip: number;
  sport: number;
  dport: number;
  stime: number;
}

/** The layout from a title line; undefined when it names no source and destination address. */
export function parseFlowTableHeader(line: string): FlowTable | undefined {
  const separator = line.includes('|') ? '|' : line.includes('\t') ? '\t' : line.includes(',') ? ',' : undefined;
  if (separator === undefined) return undefined;
  const columns = splitCells(line, separator).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const find = (key: keyof typeof ALIASES): number => columns.findIndex((c) => ALIASES[key].includes(c));
  const table: FlowTable = { separator, columns, sip: find('sip'), dip: find('dip'), sport: find('sport'), dport: find('dport'), stime: find('stime') };
  return table.sip === -1 || table.dip === -1 ? undefined : table;
}

/** One flow row; a SyntaxError when a cell is missing or an address is not one. */
export function parseFlowRow(line: string, table: FlowTable, where: { file: string; line: number; format: 'silk' | 'csv' }): LogRecord {
  const values = splitCells(line, table.separator).map((c) => c.trim());
  const needed = Math.max(table.sip, table.dip) + 1;
  if (values.length < needed) throw new SyntaxError(`Cannot parse flow record: expected at least ${needed} fields, found ${values.length}`);
  const srcIp = values[table.sip]!;
  const dstIp = values[table.dip]!;
  for (const [name, ip] of [['source', srcIp], ['destination', dstIp]] as const) {
    if (parseIpv4(ip) < 0 && parseIpv6(ip) === undefined) throw new SyntaxError(`Cannot parse flow record: ${name} address ${JSON.stringify(ip)} is not an IP address`);
  }
  return {
    kind: 'flow',
    format: where.format,
    file: where.file,
    line: where.line,
    raw: line,
    ts: table.stime === -1 ? undefined : flowTime(values[table.stime] ?? ''),
    srcIp,
    dstIp,
    srcPort: table.sport === -1 ? undefined : port(values[table.sport]),
    dstPort: table.dport === -1 ? undefined : port(values[table.dport]),
    columns: table.columns,
    values,
  };
}

function splitCells(line: string, separator: string): string[] {
  if (separator === ',' && line.includes('"')) return splitCsvLine(line);
  const cells = line.split(separator);
  // rwcut ends each line with the delimiter unless --no-final-delimiter.
  if (separator === '|' && cells[cells.length - 1]?.trim() === '') cells.pop();
  return cells;
}

/** SiLK times (`2025/01/01T10:00:00.000`, ISO with a space, epoch) and ISO 8601, all UTC, as epoch seconds. */
export function flowTime(text: string): number | undefined {
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = text.replace(/^(\d{4})\/(\d{2})\/(\d{2})/, '$1-$2-$3').replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
