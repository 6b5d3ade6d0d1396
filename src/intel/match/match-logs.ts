import type { IndicatorSet } from './indicator-set.js';
import type { MalformedLine } from './malformed-line.js';
import { matchRecord, type IntelMatch, type MatchScope } from './match-record.js';
import { detectFileFormat, readLogBatches, readLogChunks } from './read-log-records.js';
import { ZeekTsvMatcher } from './zeek-tsv-matcher.js';

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

/**
 * Streams every log through the matchers, one after another, and counts what
 * happened. Zeek TSV logs take {@link ZeekTsvMatcher}, which tests flow lines
 * on their bytes; every other format goes record by record.
 */
export async function matchLogs(paths: readonly string[], set: IndicatorSet, options: MatchLogsOptions): Promise<MatchLogsSummary> {
  const summary: MatchLogsSummary = { records: 0, matches: 0, malformed: 0 };
  const scope = options.scope ?? 'all';
  const onMalformed = (bad: MalformedLine): void => {
    summary.malformed++;
    options.onMalformed(bad);
  };
  const report = async (matches: readonly IntelMatch[]): Promise<void> => {
    for (const match of matches) {
      summary.matches++;
      const pending = options.onMatch(match);
      if (pending) await pending;
    }
  };
  for (const path of paths) {
    const format = await detectFileFormat(path);
    if (format === 'zeek-tsv') {
      const matcher = new ZeekTsvMatcher(path, set, scope, onMalformed);
      for await (const chunk of readLogChunks(path)) await report(matcher.push(chunk));
      await report(matcher.end());
      summary.records += matcher.records;
      continue;
    }
    for await (const batch of readLogBatches(path, format === undefined ? { onMalformed } : { onMalformed, format })) {
      summary.records += batch.length;
      for (const record of batch) {
        const matches = matchRecord(set, record, scope);
        // Most records match nothing: no await for them.
        if (matches.length > 0) await report(matches);
      }
    }
  }
  return summary;
}
