import { Hono } from 'hono';
import type { DashboardData, DashboardFilter, RateStep } from '../dashboard-data.js';
import { choiceParam, filterParams, intParam, timeParam } from '../query-params.js';
import { tableResponse } from '../table-response.js';

const VIEWS = ['day', 'week', 'month', 'year'] as const;
export type RateView = (typeof VIEWS)[number];
type View = RateView;

export const DEFAULT_SOURCES = 5;

/** Munin's views: the span shown and the bucket each point covers. */
const VIEW_SPAN: Record<View, { ms: number; step: RateStep }> = {
  day: { ms: 86_400_000, step: 'minute' },
  week: { ms: 7 * 86_400_000, step: '5min' },
  month: { ms: 31 * 86_400_000, step: 'hour' },
  year: { ms: 366 * 86_400_000, step: 'day' },
};

/** The query behind a rate-graph view ending at `end` (shared with the cache warm-up, so both ask the same). */
export function rateQuery(view: RateView, end: Date, filter: DashboardFilter, sources: number): Parameters<DashboardData['rates']>[0] {
  const span = VIEW_SPAN[view];
  return {
    since: filter.since ?? new Date(end.getTime() - span.ms),
    until: filter.until ?? end,
    ...(filter.sensor ? { sensor: filter.sensor } : {}),
    step: span.step,
    sources,
  };
}

/** Counters and the rate graph. */
export function overviewRoutes(data: DashboardData): Hono {
  const app = new Hono();

  app.get('/overview', async (c) => c.json(await data.overview(filterParams(c))));

  app.get('/rates', async (c) => {
    const view = choiceParam(c, 'view', VIEWS);
    const filter = filterParams(c);
    const end = timeParam(c, 'end') ?? filter.until ?? (await data.lastEventTime(filter)) ?? new Date();
    const series = await data.rates(rateQuery(view, end, filter, intParam(c, 'sources', { fallback: DEFAULT_SOURCES, min: 0, max: 20 })));
    if (c.req.query('format') === 'csv') {
      const bySource = new Map(series.bySource.map((s) => [s.source, new Map(s.points.map((p) => [p.t, p.attempts]))]));
      const names = [...bySource.keys()];
      return tableResponse(c, {
        name: `rates-${view}`,
        rows: series.total,
        columns: [
          { header: 'time', value: (p) => p.t },
          { header: 'attempts', value: (p) => p.attempts },
          ...names.map((name) => ({ header: name, value: (p: { t: string }) => bySource.get(name)?.get(p.t) ?? 0 })),
        ],
      });
    }
    return c.json({ view, ...series });
  });

  return app;
}
