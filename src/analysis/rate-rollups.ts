import type { MinuteCount } from '../store/store.js';

/** Attempts per minute over one bucket, as Munin shows them. */
export interface RateBucket {
  /** ISO start of the bucket. */
  start: string;
  min: number;
  avg: number;
  max: number;
  total: number;
}

export interface RateRollups {
  peakPerMinute: { minute: string; attempts: number } | null;
  fiveMinutes: RateBucket[];
  hours: RateBucket[];
  days: RateBucket[];
}

const MINUTE = 60_000;
const SIZES = { fiveMinutes: 5 * MINUTE, hours: 60 * MINUTE, days: 1440 * MINUTE } as const;
/** As Munin's views: 5-minute buckets for the last 2 days, hours for the last 31, days for all. */
const SPANS = { fiveMinutes: 2 * 1440 * MINUTE, hours: 31 * 1440 * MINUTE } as const;

/**
 * Rolls per-minute attempt counts (sparse, minutes without attempts absent)
 * into 5-minute, hourly and daily buckets of min/avg/max attempts per minute,
 * counting quiet minutes as 0 (pure). The range runs from the first bucket
 * holding `fromMs` (default: the first minute) to the one holding `toMs`;
 * 5-minute buckets cover its last 2 days and hours its last 31.
 */
export function rollupRates(minutes: readonly MinuteCount[], options: { fromMs?: number; toMs?: number } = {}): RateRollups {
  if (minutes.length === 0) return { peakPerMinute: null, fiveMinutes: [], hours: [], days: [] };
  let peak = minutes[0] as MinuteCount;
  for (const m of minutes) if (m.attempts > peak.attempts) peak = m;
  const first = Math.min(options.fromMs ?? Infinity, (minutes[0] as MinuteCount).minute);
  const last = Math.max(options.toMs ?? -Infinity, (minutes[minutes.length - 1] as MinuteCount).minute);
  return {
    peakPerMinute: { minute: new Date(peak.minute).toISOString(), attempts: peak.attempts },
    fiveMinutes: buckets(minutes, SIZES.fiveMinutes, Math.max(first, last - SPANS.fiveMinutes), last),
    hours: buckets(minutes, SIZES.hours, Math.max(first, last - SPANS.hours), last),
    days: buckets(minutes, SIZES.days, first, last),
  };
}

function buckets(minutes: readonly MinuteCount[], size: number, firstMs: number, lastMs: number): RateBucket[] {
  const out: RateBucket[] = [];
  const perBucket = size / MINUTE;
  let i = 0;
  for (let start = Math.floor(firstMs / size) * size; start <= lastMs; start += size) {
    let total = 0;
    let max = 0;
    let busy = 0;
    while (i < minutes.length && (minutes[i] as MinuteCount).minute < start + size) {
      const m = minutes[i] as MinuteCount;
      if (m.minute >= start) {
        total += m.attempts;
        max = Math.max(max, m.attempts);
        busy += 1;
      }
      i += 1;
    }
    out.push({ start: new Date(start).toISOString(), min: busy < perBucket ? 0 : minOf(minutes, i - busy, i), avg: round(total / perBucket), max, total });
  }
  return out;
}

function minOf(minutes: readonly MinuteCount[], from: number, to: number): number {
  let min = Infinity;
  for (let j = from; j < to; j++) min = Math.min(min, (minutes[j] as MinuteCount).attempts);
  return min;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
