import { toEventRow, type EventRow } from '../event-row.js';

/** A row, or why the line is not an event (a sentence-case reason to append after the file and line). */
export function parseLine(text: string): EventRow | string {
  // A byte order mark (files saved by Windows tools) is no part of the event.
  const line = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (err instanceof SyntaxError) return 'expected one JSON object per line';
    throw err;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected one JSON object per line';
  try {
    return toEventRow(value as Record<string, unknown>, line);
  } catch (err) {
    if (err instanceof TypeError || err instanceof SyntaxError) return lowerFirst(err.message);
    throw err;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
