/** YYYY-MM-DD, then optionally a time (T or space) with seconds, fraction and zone optional. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or time as epoch milliseconds, or undefined when `text` is
 * not one or names no real moment (2018-02-30, 25:00). UTC unless a zone is
 * given. Strict, unlike Date.parse, which reads "2018-05-10 junk" as June 5th
 * and "-1" as 2001.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((p) => (p === undefined ? undefined : Number(p))) as number[];
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  const local = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const back = new Date(local);
  // Date.UTC rolls an impossible field into the next one; a real moment reads back the same.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second) {
    return undefined;
  }
  return local + ms - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
