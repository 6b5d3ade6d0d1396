import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, type EventRow } from '../event-row.js';
import { copyIn } from './copy-in.js';
import { encodeCopyBinary } from './encode-copy-binary.js';
import { withDefaultUser } from './postgres-store.js';

const TEST_POSTGRES_URL = process.env.HONEYSCOPE_TEST_POSTGRES ?? 'postgres://127.0.0.1:5432/test';
const COLUMNS = EVENT_COLUMNS.map((c) => (c === 'ts_us' ? 'ts' : c)).join(', ');

function row(overrides: Partial<EventRow>): EventRow {
  const empty = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, null])) as unknown as EventRow;
  return { ...empty, id: '0123456789abcdef0123456789abcdef', ts_us: 1_795_000_000_123_456, eventid: 'cowrie.command.input', raw: '{}', ...overrides };
}

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: withDefaultUser(TEST_POSTGRES_URL) });
  await client.connect();
  await client.query(`CREATE TEMP TABLE copied (
    id uuid, ts timestamptz, eventid text, session text, sensor text, src_ip text, src_port int4, dst_ip text, dst_port int4,
    orig_ip text, orig_port int4, username text, password text, input text, url text, shasum text, duration_ms float8,
    payload_kind text, http_method text, http_host text, http_path text, http_headers text, smtp_ehlo text, tls_sni text, raw text)`);
});

afterAll(async () => {
  await client.end();
});

describe('encodeCopyBinary + copyIn', () => {
  it('round-trips every column type through PostgreSQL, attacker bytes included', async () => {
    const rows = [
      row({ input: 'tab\there\nnew line \\ backslash "quote"', username: 'Grüße 日本 😀', src_port: 65535, dst_port: 0, duration_ms: 1234.5 }),
      row({ id: 'fedcba98-7654-3210-fedc-ba9876543210', ts_us: -1_000_001, eventid: 'x', raw: '', orig_port: -2_147_483_648 }),
      row({ ts_us: 946_684_800_000_000, session: '', password: '\\N' }),
    ];
    await client.query('TRUNCATE copied');
    const tags = await copyIn(client, `COPY copied (${COLUMNS}) FROM STDIN (FORMAT binary)`, encodeCopyBinary(rows));
    expect(tags).toEqual(['COPY 3']);
    const back = await client.query(`SELECT replace(id::text, '-', '') AS id, (extract(epoch from ts) * 1000000)::int8::text AS ts_us, ${COLUMNS.replace('id, ts, ', '')} FROM copied`);
    expect(back.rows).toEqual(rows.map((r) => ({ ...r, id: r.id.replaceAll('-', ''), ts_us: String(r.ts_us) })));
  });

  it('writes every column into its own place', async () => {
    const full = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, `${c} value é`.repeat(i % 3 === 0 ? 30 : 1)])) as unknown as EventRow;
    Object.assign(full, { id: '00112233445566778899aabbccddeeff', ts_us: 1_795_000_000_000_001, src_port: 1, dst_port: 2, orig_port: 3, duration_ms: 4.5 });
    await client.query('TRUNCATE copied');
    await copyIn(client, `COPY copied (${COLUMNS}) FROM STDIN (FORMAT binary)`, encodeCopyBinary([full]));
    const back = await client.query(`SELECT replace(id::text, '-', '') AS id, (extract(epoch from ts) * 1000000)::int8 AS ts_us, ${COLUMNS.replace('id, ts, ', '')} FROM copied`);
    expect(back.rows).toEqual([{ ...full, ts_us: String(full.ts_us) }]);
  });

  it('rejects with the server error and leaves the connection usable', async () => {
    const bad = copyIn(client, `COPY no_such_table (${COLUMNS}) FROM STDIN (FORMAT binary)`, encodeCopyBinary([row({})]));
    await expect(bad).rejects.toMatchObject({ code: '42P01' });
    const late = copyIn(client, `COPY copied (${COLUMNS}) FROM STDIN (FORMAT binary); SELECT 1/0`, encodeCopyBinary([row({})]));
    await expect(late).rejects.toMatchObject({ code: '22012' });
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses an id that is not 32 hex digits', () => {
    expect(() => encodeCopyBinary([row({ id: '0123456789abcdef0123456789abcdeg' })])).toThrow(RangeError);
    expect(() => encodeCopyBinary([row({ id: 'abc' })])).toThrow(RangeError);
  });
});
