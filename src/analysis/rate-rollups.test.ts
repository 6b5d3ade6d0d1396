import { describe, it, expect } from 'vitest';
import { rollupRates } from './rate-rollups.js';

function at(iso: string): number {
  return Date.parse(iso);
}

describe('rollupRates()', () => {
  it('finds the busiest minute and rolls quiet minutes in as zero', () => {
    const r = rollupRates([
      { minute: at('2016-03-22T10:00:00Z'), attempts: 17 },
      { minute: at('2016-03-22T10:01:00Z'), attempts: 3 },
      { minute: at('2016-03-22T10:07:00Z'), attempts: 5 },
    ]);
    expect(r.peakPerMinute).toEqual({ minute: '2016-03-22T10:00:00.000Z', attempts: 17 });
    expect(r.fiveMinutes).toEqual([
      { start: '2016-03-22T10:00:00.000Z', min: 0, avg: 4, max: 17, total: 20 },
      { start: '2016-03-22T10:05:00.000Z', min: 0, avg: 1, max: 5, total: 5 },
    ]);
    expect(r.hours).toEqual([{ start: '2016-03-22T10:00:00.000Z', min: 0, avg: 0.417, max: 17, total: 25 }]);
    expect(r.days).toEqual([{ start: '2016-03-22T00:00:00.000Z', min: 0, avg: 0.017, max: 17, total: 25 }]);
  });

  it('gives min above zero only when every minute of a bucket had attempts', () => {
    const minutes = [0, 1, 2, 3, 4].map((m) => ({ minute: at('2016-03-22T10:00:00Z') + m * 60_000, attempts: 2 + m }));
    expect(rollupRates(minutes).fiveMinutes).toEqual([{ start: '2016-03-22T10:00:00.000Z', min: 2, avg: 4, max: 6, total: 20 }]);
  });

  it('spans the requested range and keeps 5-minute buckets to the last 2 days', () => {
    const r = rollupRates([{ minute: at('2016-03-22T10:00:00Z'), attempts: 1 }], { fromMs: at('2016-03-01T00:00:00Z'), toMs: at('2016-03-22T23:59:00Z') });
    expect(r.days).toHaveLength(22);
    expect(r.fiveMinutes).toHaveLength(2 * 288 + 1);
    expect(r.days.reduce((s, d) => s + d.total, 0)).toBe(1);
  });

  it('returns empty rollups for no attempts', () => {
    expect(rollupRates([])).toEqual({ peakPerMinute: null, fiveMinutes: [], hours: [], days: [] });
  });
});
