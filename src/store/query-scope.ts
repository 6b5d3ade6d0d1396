import type { SqlParams } from './sql-params.js';
import type { EventFilter } from './store.js';

const DAY_US = 86_400_000_000;
/** Days that print as a four-digit-year DATE literal (years 1000 to 9999). */
const FIRST_DAY = -354_285;
const LAST_DAY = 2_932_896;

/** A filter split into whole UTC days (read from rollups) and the partial days at its edges (read from `events`). */
export interface QueryScope {
  /** Condition on rollup rows: the whole days and the sensor; `alias.` qualifies the columns. */
  days(alias?: string): string;
  /** Condition on `events` rows the rollups cannot answer for (partial days, unfolded rows) and the sensor, or undefined when there are none. */
  edges(): string | undefined;
}

/**
 * Splits `filter` into a QueryScope; `fromUs` turns a parameter into the
 * database's timestamp. `unfolded` selects rows the rollups do not hold yet:
 * those in the whole days are read from `events` too.
 */
export function queryScope(filter: EventFilter, q: SqlParams, fromUs: (param: string) => string, unfolded?: string): QueryScope {
  const { sinceUs, untilUs } = filter;
  let lo = sinceUs === undefined ? undefined : Math.ceil(sinceUs / DAY_US);
  let hi = untilUs === undefined ? undefined : Math.floor(untilUs / DAY_US);
  const outside = (day: number | undefined): boolean => day !== undefined && !(day >= FIRST_DAY && day <= LAST_DAY);
  // No whole day inside, or days no DATE literal can name: everything is read from `events`.
  const raw = outside(lo) || outside(hi) || (lo !== undefined && hi !== undefined && lo >= hi);
  const edges: Array<[number | undefined, number | undefined]> = [];
  if (raw) {
    lo = undefined;
    hi = undefined;
    edges.push([sinceUs, untilUs]);
  } else {
    if (sinceUs !== undefined && lo !== undefined && sinceUs < lo * DAY_US) edges.push([sinceUs, lo * DAY_US]);
    if (untilUs !== undefined && hi !== undefined && hi * DAY_US < untilUs) edges.push([hi * DAY_US, untilUs]);
  }
  // Parameters are bound when a condition first names them, so a statement binds only those it uses.
  const bound = new Map<string, string>();
  const param = (key: string, value: unknown): string => {
    let name = bound.get(key);
    if (name === undefined) bound.set(key, (name = q.add(value)));
    return name;
  };
  const sensor = filter.sensor === undefined ? undefined : (): string => param('sensor', filter.sensor);
  const bounds = edges.map(([a, b], i) => [a === undefined ? undefined : () => param(`edge${i}a`, a), b === undefined ? undefined : () => param(`edge${i}b`, b)] as const);
  const days = [
    lo === undefined || unfolded === undefined ? undefined : () => param('loUs', lo * DAY_US),
    hi === undefined || unfolded === undefined ? undefined : () => param('hiUs', hi * DAY_US),
  ] as const;
  return {
    days(alias = '') {
      if (raw) return 'FALSE';
      const conds: string[] = [];
      if (lo !== undefined) conds.push(`${alias}day >= CAST(${param('lo', isoDay(lo))} AS DATE)`);
      if (hi !== undefined) conds.push(`${alias}day < CAST(${param('hi', isoDay(hi))} AS DATE)`);
      if (sensor !== undefined) conds.push(`${alias}sensor = ${sensor()}`);
      return conds.length === 0 ? 'TRUE' : conds.join(' AND ');
    },
    edges() {
      const range = ([a, b]: readonly [(() => string) | undefined, (() => string) | undefined]): string => {
        const conds = [a === undefined ? undefined : `ts >= ${fromUs(a())}`, b === undefined ? undefined : `ts < ${fromUs(b())}`].filter((c) => c !== undefined);
        return conds.length === 0 ? 'TRUE' : conds.join(' AND ');
      };
      const ranges = bounds.map(range);
      if (unfolded !== undefined && !raw) ranges.push(`${range(days)} AND ${unfolded}`);
      if (ranges.length === 0) return undefined;
      const time = ranges.length === 1 ? (ranges[0] as string) : `(${ranges.map((r) => `(${r})`).join(' OR ')})`;
      return sensor === undefined ? time : `${time} AND sensor = ${sensor()}`;
    },
  };
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
