import { parseIsoTime } from '../lib/parse-iso-time.js';

const RELATIVE = /^(\d+)([mhdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A --since/--until value as microseconds since the epoch: an ISO date or
 * time (UTC unless it says otherwise), or a duration before `now` (`90m`, `24h`, `7d`, `2w`).
 *
 * @throws {SyntaxError} naming the text and what is accepted
 */
export function parseTimeBound(text: string, now: number = Date.now()): number {
  const rel = RELATIVE.exec(text.trim());
  if (rel) return (now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 'd'] ?? 0)) * 1000;
  const ms = parseIsoTime(text.trim());
  if (ms === undefined) throw new SyntaxError(`Cannot parse time "${text}": expected an ISO date or time (2018-05-09, 2018-05-09T20:14Z) or a duration (90m, 24h, 7d, 2w)`);
  return ms * 1000;
}
