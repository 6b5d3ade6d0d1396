import { describe, expect, it } from 'vitest';
import { eventIdentity } from '../store/event-row.js';
import { decodeEventBatch } from './decode-event-batch.js';

const EVENT = { eventid: 'cowrie.session.connect', session: 'abc', src_ip: '192.0.2.1', timestamp: '2026-11-28T18:00:00.000000Z', sensor: 's1', message: 'New connection' };

describe('decodeEventBatch()', () => {
  it('turns each JSON line into a row keeping the line as raw', () => {
    const line = JSON.stringify(EVENT);
    const decoded = decodeEventBatch(Buffer.from(`${line}\n${JSON.stringify({ ...EVENT, session: 'def' })}\n`));
    expect(decoded.malformed).toBe(0);
    expect(decoded.rows.map((r) => r.session)).toEqual(['abc', 'def']);
    expect(decoded.rows[0]?.raw).toBe(line);
    expect(decoded.rows[0]?.id).toBe(eventIdentity(EVENT));
  });

  it('counts lines that are not events and names the first', () => {
    const decoded = decodeEventBatch(Buffer.from(`{"eventid":1}\n${JSON.stringify(EVENT)}\nnot json\n`));
    expect(decoded.rows).toHaveLength(1);
    expect(decoded.malformed).toBe(2);
    expect(decoded.firstError).toBe('line 1: Expected an object with string "eventid" and "timestamp"');
  });
});
