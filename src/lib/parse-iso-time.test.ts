import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './parse-iso-time.js';

describe('parseIsoTime', () => {
  it('reads dates and times, UTC unless a zone is given', () => {
    expect(parseIsoTime('2018-05-09')).toBe(Date.UTC(2018, 4, 9));
    expect(parseIsoTime('2018-05-09T20:14')).toBe(Date.UTC(2018, 4, 9, 20, 14));
    expect(parseIsoTime('2018-05-09 20:14:05')).toBe(Date.UTC(2018, 4, 9, 20, 14, 5));
    expect(parseIsoTime('2018-05-09T20:14:05.250694Z')).toBe(Date.UTC(2018, 4, 9, 20, 14, 5) + 250.694);
    expect(parseIsoTime('2018-05-09T22:14:05+02:00')).toBe(Date.UTC(2018, 4, 9, 20, 14, 5));
    expect(parseIsoTime('2018-05-09T15:44:05-0430')).toBe(Date.UTC(2018, 4, 9, 20, 14, 5));
    expect(parseIsoTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses what Date.parse would read as another moment', () => {
    for (const text of ['2018-05-10 junk', '-1', '2018-02-30', '2023-02-29', '2018-13-01', '2018-05-09T24:00', '2018-05-09T20:60', 'May 10 2018', '2018-5-9', '2018-05-09T20', ' 2018-05-09', '']) {
      expect(parseIsoTime(text), text).toBeUndefined();
    }
  });
});
