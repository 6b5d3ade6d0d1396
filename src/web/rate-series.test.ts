import { describe, expect, it } from 'vitest';
import { buildRateSeries } from './rate-series.js';

describe('buildRateSeries()', () => {
  it('fills every bucket of the window, per source and in total', () => {
    const t0 = Date.parse('2018-05-06T00:00:00Z');
    const series = buildRateSeries(
      [
        { bucketMs: t0 + 3_600_000, source: 'a', attempts: 2 },
        { bucketMs: t0 + 3_600_000, source: 'other', attempts: 1 },
        { bucketMs: t0, source: 'a', attempts: 5 },
      ],
      { step: 'hour', sinceMs: t0 + 1000, untilMs: t0 + 3 * 3_600_000, sources: ['a', 'other'] },
    );
    expect(series.total).toEqual([
      { t: '2018-05-06T00:00:00.000Z', attempts: 5 },
      { t: '2018-05-06T01:00:00.000Z', attempts: 3 },
      { t: '2018-05-06T02:00:00.000Z', attempts: 0 },
    ]);
    expect(series.bySource.map((s) => [s.source, s.points.map((p) => p.attempts)])).toEqual([
      ['a', [5, 2, 0]],
      ['other', [0, 1, 0]],
    ]);
  });
});
