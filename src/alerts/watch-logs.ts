import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { atomicWrite } from '../lib/atomic-write.js';
import { HoneyscopeError, errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { createLineParser, detectLogFormat, primeLineParser, type LineParser } from '../intel/match/create-line-parser.js';
import type { IndicatorSet } from '../intel/match/indicator-set.js';
import { LogFollower, type FollowPosition } from '../intel/match/log-follower.js';
import type { MalformedLine } from '../intel/match/malformed-line.js';
import { matchRecord } from '../intel/match/match-record.js';
import type { AlertDispatcher } from './alert-dispatcher.js';
import type { AlertEngine } from './alert-engine.js';

export interface WatchLogsOptions {
  set: IndicatorSet;
  engine: AlertEngine;
  dispatcher: AlertDispatcher;
  /** JSON file of positions per followed path (DATA/state/watch.json). */
  statePath: string;
  pollMs: number;
  signal: AbortSignal;
  onMalformed: (bad: MalformedLine) => void;
  logger?: Logger;
  /** Called after every polling round (tests wait on it). */
  onRound?: (summary: WatchSummary) => void;
}

export interface WatchSummary {
  records: number;
  matches: number;
  alerts: number;
  malformed: number;
}

interface WatchState {
  files: Record<string, FollowPosition>;
}

/**
 * Follows logs, matches each new record and raises alerts, until `signal`
 * aborts. Positions (device, inode, offset) are saved after every round and
 * at the end, so a restart carries on after the last line already handled.
 */
export async function watchLogs(paths: readonly string[], options: WatchLogsOptions): Promise<WatchSummary> {
  const summary: WatchSummary = { records: 0, matches: 0, alerts: 0, malformed: 0 };
  const state = await loadState(options.statePath);
  const followers = paths.map((p) => followOne(resolve(p), state.files[resolve(p)], options, summary));
  let saved = JSON.stringify(state);
  const save = async (): Promise<void> => {
    for (const follower of followers) {
      const position = follower.position;
      if (position) state.files[follower.path] = position;
    }
    const text = JSON.stringify(state);
    if (text === saved) return;
    await mkdir(dirname(options.statePath), { recursive: true });
    await atomicWrite(options.statePath, `${text}\n`);
    saved = text;
  };
  // A log that cannot be followed is retried every round but reported once, and again only when the reason changes.
  const failing = new Map<string, string>();
  try {
    while (!options.signal.aborted) {
      for (const follower of followers) {
        try {
          await follower.poll();
          if (failing.delete(follower.path)) options.logger?.info({ file: follower.path }, 'following log again');
        } catch (err) {
          if (!(err instanceof HoneyscopeError)) throw err;
          const message = errorMessage(err);
          if (failing.get(follower.path) === message) continue;
          failing.set(follower.path, message);
          options.logger?.warn({ file: follower.path, err: message }, 'cannot follow log');
        }
      }
      await save();
      options.onRound?.({ ...summary });
      await sleep(options.pollMs, options.signal);
    }
  } finally {
    await Promise.all(followers.map((f) => f.close()));
    await options.dispatcher.flush();
    await save();
  }
  return summary;
}

function followOne(path: string, start: FollowPosition | undefined, options: WatchLogsOptions, summary: WatchSummary): LogFollower {
  let parser: LineParser | undefined;
  return new LogFollower(path, {
    start,
    async onLines(lines, context) {
      const headLines = context.head.split('\n').slice(0, 20);
      if (context.fresh || !parser) {
        const format = detectLogFormat(headLines);
        if (!format) throw new HoneyscopeError('HS_MATCH', `Cannot detect the format of "${path}": expected a log format honeyscope match reads`);
        parser = createLineParser(format, path);
        if (!context.fresh) primeLineParser(parser, headLines);
      }
      for (const { text, line } of lines) {
        let record;
        try {
          record = parser.parse(text, line);
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          summary.malformed++;
          options.onMalformed({ file: path, line, reason: err.message });
          continue;
        }
        if (!record) continue;
        summary.records++;
        const matches = matchRecord(options.set, record, 'all');
        summary.matches += matches.length;
        for (const alert of options.engine.evaluate(record, matches)) {
          summary.alerts++;
          options.dispatcher.dispatch(alert);
        }
      }
    },
  });
}

async function loadState(path: string): Promise<WatchState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files: {} };
    throw new HoneyscopeError('HS_IO', `Cannot read watch state "${path}": ${errorMessage(err)}`, { cause: err });
  }
  try {
    const parsed = JSON.parse(text) as WatchState;
    if (typeof parsed.files !== 'object' || parsed.files === null) throw new SyntaxError('expected {"files": {...}}');
    return parsed;
  } catch (err) {
    throw new HoneyscopeError('HS_IO', `Cannot read watch state "${path}": ${errorMessage(err)}`, { cause: err });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
