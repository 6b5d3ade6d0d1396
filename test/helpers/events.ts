import { readFileSync, existsSync } from 'node:fs';

export type LoggedEvent = Record<string, unknown> & { eventid: string; session?: string };

/**
 * Every complete event in a Cowrie JSONL file (no file: none). A last line
 * without its newline is one the sensor is still writing (a long line takes
 * more than one write), not a broken one: it is left for the next read.
 */
export function readEvents(path: string): LoggedEvent[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as LoggedEvent);
}

/** Polls the log until `predicate` holds for the events, or fails after `timeoutMs`. */
export async function waitForEvents(
  path: string,
  predicate: (events: LoggedEvent[]) => boolean,
  timeoutMs = 10_000,
): Promise<LoggedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = readEvents(path);
    if (predicate(events)) return events;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for events in "${path}"; have: ${events.map((e) => e.eventid).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
