import type { RatePoint, RateSeries, RateStep } from './dashboard-data.js';

export const STEP_MS: Record<RateStep, number> = { minute: 60_000, '5min': 300_000, hour: 3_600_000, day: 86_400_000 };

/** One counted bucket: its start (ms), the source (or "other") and attempts. */
export interface BucketCount {
  bucketMs: number;
  source: string;
  attempts: number;
}

/**
 * Builds the rate graph's series from sparse bucket counts: every bucket from
 * `sinceMs` to `untilMs` gets a point (0 where nothing happened), per source
 * and in total, so the line drops to zero instead of skipping quiet time.
 */
export function buildRateSeries(counts: readonly BucketCount[], options: { step: RateStep; sinceMs: number; untilMs: number; sources: readonly string[] }): RateSeries {
  const step = STEP_MS[options.step];
  const first = Math.floor(options.sinceMs / step) * step;
  const buckets: number[] = [];
  for (let t = first; t < options.untilMs; t += step) buckets.push(t);
  const total = new Map<number, number>();
  const perSource = new Map<string, Map<number, number>>(options.sources.map((s) => [s, new Map()]));
  for (const c of counts) {
    total.set(c.bucketMs, (total.get(c.bucketMs) ?? 0) + c.attempts);
    let series = perSource.get(c.source);
    if (!series) {
      series = new Map();
      perSource.set(c.source, series);
    }
    series.set(c.bucketMs, (series.get(c.bucketMs) ?? 0) + c.attempts);
  }
  const points = (values: Map<number, number>): RatePoint[] => buckets.map((t) => ({ t: new Date(t).toISOString(), attempts: values.get(t) ?? 0 }));
  return {
    step: options.step,
    total: points(total),
    bySource: [...perSource].map(([source, values]) => ({ source, points: points(values) })),
  };
}
