import type { Context } from 'hono';
import { parseIsoTime } from '../lib/parse-iso-time.js';
import type { DashboardFilter } from './dashboard-data.js';

/** A bad query parameter: the routes answer 400 with this message. */
export class QueryParamError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'QueryParamError';
  }
}

/** A time parameter: ISO 8601 or epoch milliseconds; absent or empty gives undefined. */
export function timeParam(c: Context, name: string): Date | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const date = new Date(/^\d+$/.test(raw) ? Number(raw) : (parseIsoTime(raw) ?? Number.NaN));
  if (Number.isNaN(date.getTime())) throw new QueryParamError(`Invalid "${name}" value "${raw}": expected an ISO 8601 time or epoch milliseconds`);
  return date;
}

/** An integer parameter within [min, max]; absent or empty gives `fallback`. */
export function intParam(c: Context, name: string, options: { fallback: number; min: number; max: number }): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return options.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < options.min || value > options.max) {
    throw new QueryParamError(`Invalid "${name}" value "${raw}": expected an integer from ${options.min} to ${options.max}`);
  }
  return value;
}

/** One of the allowed words; absent or empty gives the first. */
export function choiceParam<T extends string>(c: Context, name: string, allowed: readonly [T, ...T[]]): T {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return allowed[0];
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new QueryParamError(`Invalid "${name}" value "${raw}": expected one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** A `YYYY-MM-DD` day parameter. */
export function dayParam(c: Context, name: string): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || parseIsoTime(raw) === undefined) {
    throw new QueryParamError(`Invalid "${name}" value "${raw}": expected a day as YYYY-MM-DD`);
  }
  return raw;
}

/** `since`, `until` and `sensor`, which every list and chart accepts. */
export function filterParams(c: Context): DashboardFilter {
  const filter: DashboardFilter = {};
  const since = timeParam(c, 'since');
  const until = timeParam(c, 'until');
  const sensor = c.req.query('sensor');
  if (since) filter.since = since;
  if (until) filter.until = until;
  if (sensor) filter.sensor = sensor;
  return filter;
}
