/** Milliseconds since the epoch with sub-millisecond precision (Cowrie writes microseconds). */
export type Clock = () => number;

const ORIGIN = performance.timeOrigin;

export const systemClock: Clock = function systemClock() {
  return ORIGIN + performance.now();
};

/** `2026-11-28T17:04:53.950692Z`: Cowrie's `%Y-%m-%dT%H:%M:%S.%fZ`. */
export function cowrieTimestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.min(999, Math.round((epochMs - whole) * 1000));
  const iso = new Date(whole).toISOString();
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** The UTC day `YYYY-MM-DD` of an epoch time. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
