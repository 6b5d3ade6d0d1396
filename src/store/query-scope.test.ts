import { describe, expect, it } from 'vitest';
import { queryScope } from './query-scope.js';
import { SqlParams } from './sql-params.js';

const DAY_US = 86_400_000_000;
const T = Date.parse('2026-03-02T00:00:00Z') * 1000;

function split(filter: Parameters<typeof queryScope>[0]) {
  const q = new SqlParams();
  const scope = queryScope(filter, q, (p) => `ts(${p})`);
  return { days: scope.days(), edges: scope.edges(), params: q.values };
}

describe('queryScope()', () => {
  it('binds only the parameters a statement names, each once', () => {
    const q = new SqlParams();
    const scope = queryScope({ sinceUs: T - 5, sensor: 's1' }, q, (p) => `ts(${p})`);
    expect(scope.days()).toBe('day >= CAST($1 AS DATE) AND sensor = $2');
    expect(scope.days('r.')).toBe('r.day >= CAST($1 AS DATE) AND r.sensor = $2');
    expect(q.values).toEqual(['2026-03-02', 's1']);
  });

  it('reads every stored day and no events without a time range', () => {
    expect(split({})).toEqual({ days: 'TRUE', edges: undefined, params: [] });
    expect(split({ sensor: 's1' })).toEqual({ days: 'sensor = $1', edges: undefined, params: ['s1'] });
  });

  it('reads whole days from rollups and the partial days at both edges from events', () => {
    const { days, edges, params } = split({ sinceUs: T - 5, untilUs: T + 2 * DAY_US + 7 });
    expect(days).toBe('day >= CAST($1 AS DATE) AND day < CAST($2 AS DATE)');
    expect(params.slice(0, 2)).toEqual(['2026-03-02', '2026-03-04']);
    expect(edges).toBe('((ts >= ts($3) AND ts < ts($4)) OR (ts >= ts($5) AND ts < ts($6)))');
    expect(params.slice(2)).toEqual([T - 5, T, T + 2 * DAY_US, T + 2 * DAY_US + 7]);
  });

  it('needs no edge when the range falls on midnights', () => {
    expect(split({ sinceUs: T, untilUs: T + DAY_US }).edges).toBeUndefined();
    expect(split({ sinceUs: T }).days).toBe('day >= CAST($1 AS DATE)');
  });

  it('reads a range holding no whole day from events only', () => {
    const { days, edges, params } = split({ sinceUs: T + 5, untilUs: T + DAY_US - 5, sensor: 's1' });
    expect(days).toBe('FALSE');
    expect(edges).toBe('ts >= ts($1) AND ts < ts($2) AND sensor = $3');
    expect(params).toEqual([T + 5, T + DAY_US - 5, 's1']);
  });

  it('also reads from events the rows in the whole days that the rollups do not hold yet', () => {
    const q = new SqlParams();
    const scope = queryScope({ sinceUs: T, sensor: 's1' }, q, (p) => `ts(${p})`, 'unfolded');
    expect(scope.days()).toBe('day >= CAST($1 AS DATE) AND sensor = $2');
    expect(scope.edges()).toBe('ts >= ts($3) AND unfolded AND sensor = $2');
    expect(q.values).toEqual(['2026-03-02', 's1', T]);
    expect(queryScope({}, new SqlParams(), (p) => p, 'unfolded').edges()).toBe('TRUE AND unfolded');
  });

  it('reads events only for times no DATE literal can name', () => {
    expect(split({ sinceUs: -1e18 })).toEqual({ days: 'FALSE', edges: 'ts >= ts($1)', params: [-1e18] });
  });
});
