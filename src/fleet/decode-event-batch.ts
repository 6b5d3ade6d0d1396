import { toEventRow, type EventRow } from '../store/event-row.js';
import { errorMessage } from '../lib/errors.js';

export interface DecodedEventBatch {
  rows: EventRow[];
  /** Lines that were not a Cowrie event; the first one's problem is in `firstError`. */
  malformed: number;
  firstError?: string;
}

/** One fleet message (Cowrie JSON lines) as store rows; a bad line is counted, not fatal. */
export function decodeEventBatch(payload: Uint8Array): DecodedEventBatch {
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  const out: DecodedEventBatch = { rows: [], malformed: 0 };
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line === '') continue;
    try {
      out.rows.push(toEventRow(JSON.parse(line) as Record<string, unknown>, line));
    } catch (err) {
      out.malformed += 1;
      out.firstError ??= `line ${lineNo}: ${errorMessage(err)}`;
    }
  }
  return out;
}
