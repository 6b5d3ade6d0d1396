import type { IndicatorSet } from './indicator-set.js';
import type { MalformedLine } from './malformed-line.js';
import { matchRecord, type IntelMatch, type MatchScope } from './match-record.js';
import { readLogBatches } from './read-log-records.js';

export interface MatchLogsOptions {
  scope?: MatchScope;
  onMatch: (match: IntelMatch) => void | Promise<void>;
  onMalformed: (bad: MalformedLine) => void;
}

export interface MatchLogsSummary {
  records: number;
  matches: number;
  malformed: number;
}

/** Streams every log through the matchers, one after another, and counts what happened. */
export async function matchLogs(paths: readonly string[], set: IndicatorSet, options: MatchLogsOptions): Promise<MatchLogsSummary> {
  const summary: MatchLogsSummary = { records: 0, matches: 0, malformed: 0 };
  const scope = options.scope ?? 'all';
  const onMalformed = (bad: MalformedLine): void => {
    summary.malformed++;
    options.onMalformed(bad);
  };
  for (const path of paths) {
    for await (const batch of readLogBatches(path, { onMalformed })) {
      summary.records += batch.length;
      for (const record of batch) {
        for (const match of matchRecord(set, record, scope)) {
          summary.matches++;
          const pending = options.onMatch(match);
          if (pending) await pending;
        }
      }
    }
  }
  return summary;
}
