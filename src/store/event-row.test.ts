import { describe, it, expect } from 'vitest';
import { eventIdentity, parseCowrieTimestamp, toEventRow } from './event-row.js';

const REQUEST_2018 = {
  eventid: 'cowrie.direct-tcpip.request',
  timestamp: '2018-05-09T20:14:16.762588Z',
  dst_ip: '172.217.21.174',
  system: "SSHService 'ssh-connection' on HoneyPotSSHTransport,642,195.3.147.49",
  isError: 0,
  src_ip: '195.3.147.49',
  session: '85e30ced8681',
  dst_port: 80,
  src_port: 16870,
  message: 'direct-tcp connection request to 172.217.21.174:80 from 127.0.0.1:16870',
  sensor: '920497a79896',
};

describe('parseCowrieTimestamp()', () => {
  it('parses microseconds and offsets', () => {
    expect(parseCowrieTimestamp('2018-05-09T20:14:16.762588Z')).toBe(Date.parse('2018-05-09T20:14:16.762Z') * 1000 + 588);
    expect(parseCowrieTimestamp('2018-05-09T22:14:16.5+0200')).toBe(Date.parse('2018-05-09T20:14:16.500Z') * 1000);
    expect(parseCowrieTimestamp('2018-05-09T20:14:16')).toBe(Date.parse('2018-05-09T20:14:16Z') * 1000);
  });

  it('reads a run of events in the same second as it reads each alone', () => {
    const second = '2026-11-28T23:59:59';
    for (const frac of ['.000000', '.000001', '.999999', '.123456']) {
      expect(parseCowrieTimestamp(`${second}${frac}Z`)).toBe(Date.parse(`${second}Z`) * 1000 + Number(frac.slice(1)));
    }
    expect(parseCowrieTimestamp('2026-11-28 23:59:59.000002Z')).toBe(Date.parse(`${second}Z`) * 1000 + 2);
    expect(() => parseCowrieTimestamp(`${second}.00000xZ`)).toThrow(SyntaxError);
    expect(() => parseCowrieTimestamp(`${second}.000000X`)).toThrow(SyntaxError);
    expect(parseCowrieTimestamp(`${second}.000000+0100`)).toBe((Date.parse(`${second}Z`) - 3_600_000) * 1000);
  });

  it('throws a SyntaxError naming the text', () => {
    expect(() => parseCowrieTimestamp('May 9')).toThrow(new SyntaxError('Cannot parse timestamp "May 9": expected ISO 8601 like 2018-05-06T17:44:05.866769Z'));
  });
});

describe('eventIdentity()', () => {
  it('ignores key order and formatting, so a file line and a live event match', () => {
    const reordered = Object.fromEntries(Object.entries(REQUEST_2018).reverse());
    expect(eventIdentity(reordered)).toBe(eventIdentity(REQUEST_2018));
    expect(eventIdentity(REQUEST_2018)).toMatch(/^[0-9a-f]{32}$/);
    expect(eventIdentity({ ...REQUEST_2018, timestamp: '2018-05-09T20:14:16.762589Z' })).not.toBe(eventIdentity(REQUEST_2018));
  });
});

describe('toEventRow()', () => {
  it('moves the 2018 claimed originator out of src_port', () => {
    const row = toEventRow(REQUEST_2018, 'raw');
    expect(row).toMatchObject({ src_ip: '195.3.147.49', src_port: null, orig_ip: '127.0.0.1', orig_port: 16870, dst_ip: '172.217.21.174', dst_port: 80 });
  });

  it('keeps the 3.0.12 orig_ip/orig_port and the real src_port', () => {
    const row = toEventRow(
      { ...REQUEST_2018, src_ip: '127.0.0.1', src_port: 43282, orig_ip: '127.0.0.1', orig_port: 65535, message: 'direct-tcp connection request to 93.184.216.34:80 from 127.0.0.1:65535' },
      'raw',
    );
    expect(row).toMatchObject({ src_port: 43282, orig_ip: '127.0.0.1', orig_port: 65535 });
  });

  it('reads every era of session duration as milliseconds', () => {
    const closed = { eventid: 'cowrie.session.closed', timestamp: '2018-05-06T17:44:05.943970Z', message: 'x' };
    expect(toEventRow({ ...closed, duration: 0.07313299179077148 }, '').duration_ms).toBe(73);
    expect(toEventRow({ ...closed, duration: '88.7' }, '').duration_ms).toBe(88700);
    expect(toEventRow({ ...closed, duration_ms: 1217 }, '').duration_ms).toBe(1217);
  });

  it('decodes Python 2 and 3 payloads into HTTP, SMTP and TLS columns', () => {
    const data = { eventid: 'cowrie.direct-tcpip.data', timestamp: '2018-05-09T20:14:16.780194Z', message: 'm', dst_port: 80 };
    expect(toEventRow({ ...data, data: "'GET / HTTP/1.0\\r\\nHost: google.com\\r\\nReferer: https://www.google.com/\\r\\n\\r\\n'" }, '')).toMatchObject({
      payload_kind: 'http',
      http_method: 'GET',
      http_host: 'google.com',
      http_path: '/',
      http_headers: '[["Host","google.com"],["Referer","https://www.google.com/"]]',
    });
    expect(toEventRow({ ...data, data: "b'EHLO test.com\\r\\nMAIL FROM:<a@b.c>\\r\\n'" }, '')).toMatchObject({ payload_kind: 'smtp', smtp_ehlo: 'test.com' });
    expect(toEventRow({ ...data, data: "b'\\x16\\x03\\x01\\x00'" }, '')).toMatchObject({ payload_kind: 'tls', tls_sni: null });
    expect(toEventRow({ ...data, data: "b'unterminated" }, '')).toMatchObject({ payload_kind: 'undecodable' });
  });

  it('throws a TypeError when eventid or timestamp is missing', () => {
    expect(() => toEventRow({ eventid: 'x' }, '')).toThrow(new TypeError('Expected an object with string "eventid" and "timestamp"'));
  });
});
