import type { LogFormat, LogRecord } from './log-record.js';
import { isAccessLine, parseAccessLine } from './parse-access-line.js';
import { parseBindLine } from './parse-bind-line.js';
import { parseCowrieLine } from './parse-cowrie-line.js';
import { parseFlowRow, parseFlowTableHeader, type FlowTable } from './parse-flow-table.js';
import { emptyZeekHeader, parseZeekJsonLine, parseZeekTsvLine, readZeekHeaderLine, zeekColumns, type ZeekColumns } from './parse-zeek.js';

const BIND = /client (?:@\S+ )?\S+#\d+ \([^)]*\): (?:query: |rpz )/;

/**
 * The format of a log from its first lines, or undefined. Zeek TSV starts
 * with `#separator`/`#fields`; JSON lines are Cowrie events when they carry
 * `eventid`, else Zeek; a title naming source and destination addresses is a
 * flow table (rwcut with `|`, else CSV).
 */
export function detectLogFormat(head: readonly string[]): LogFormat | undefined {
  const lines = head.map((l) => l.replace(/^\uFEFF/, '')).filter((l) => l.trim() !== '');
  const first = lines[0];
  if (first === undefined) return undefined;
  if (first.startsWith('#separator') || first.startsWith('#fields') || lines.some((l) => l.startsWith('#fields\t'))) return 'zeek-tsv';
  if (first.trimStart().startsWith('{')) return /"eventid"\s*:/.test(first) ? 'cowrie' : 'zeek-json';
  if (lines.some((l) => BIND.test(l))) return 'bind';
  const table = parseFlowTableHeader(first);
  if (table) return table.separator === '|' ? 'silk' : 'csv';
  if (isAccessLine(first)) return 'access';
  return undefined;
}

/** Turns lines into records; may keep header state. A SyntaxError marks a malformed line. */
export interface LineParser {
  readonly format: LogFormat;
  /** Undefined for header, comment and blank lines and lines that carry no record. */
  parse(line: string, lineNo: number): LogRecord | undefined;
}

export function createLineParser(format: LogFormat, file: string): LineParser {
  switch (format) {
    case 'zeek-tsv': {
      const header = emptyZeekHeader();
      let cols: ZeekColumns = zeekColumns(header);
      return {
        format,
        parse(line, lineNo) {
          if (line === '') return undefined;
          if (readZeekHeaderLine(header, line)) {
            if (line.startsWith('#fields') || line.startsWith('#path')) cols = zeekColumns(header);
            return undefined;
          }
          return parseZeekTsvLine(line, header, cols, { file, line: lineNo });
        },
      };
    }
    case 'zeek-json':
      return { format, parse: (line, lineNo) => (line.trim() === '' ? undefined : parseZeekJsonLine(line, { file, line: lineNo })) };
    case 'cowrie':
      return { format, parse: (line, lineNo) => (line.trim() === '' ? undefined : parseCowrieLine(line, { file, line: lineNo })) };
    case 'bind':
      return { format, parse: (line, lineNo) => parseBindLine(line, { file, line: lineNo }) };
    case 'access':
      return { format, parse: (line, lineNo) => (line.trim() === '' ? undefined : parseAccessLine(line, { file, line: lineNo })) };
    case 'silk':
    case 'csv': {
      let table: FlowTable | undefined;
      return {
        format,
        parse(line, lineNo) {
          if (line.trim() === '' || line.startsWith('#')) return undefined;
          if (!table) {
            table = parseFlowTableHeader(line);
            if (!table) throw new SyntaxError('Cannot parse flow table title: expected columns naming the source and destination addresses (sIP, dIP)');
            return undefined;
          }
          return parseFlowRow(line, table, { file, line: lineNo, format });
        },
      };
    }
  }
}

/**
 * Feeds a parser the header lines of a file it starts reading in the middle
 * (after a restart): Zeek's `#` lines, a flow table's title.
 */
export function primeLineParser(parser: LineParser, headLines: readonly string[]): void {
  if (parser.format === 'zeek-tsv') {
    for (const line of headLines) {
      if (!line.startsWith('#')) return;
      parser.parse(line, 0);
    }
  } else if (parser.format === 'silk' || parser.format === 'csv') {
    const title = headLines.find((l) => l.trim() !== '' && !l.startsWith('#'));
    if (title !== undefined) parser.parse(title, 0);
  }
}
