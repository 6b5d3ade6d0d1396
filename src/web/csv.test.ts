import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv()', () => {
  it('writes a header and one CRLF line per row', () => {
    const csv = toCsv([{ header: 'user', value: (r: { u: string; n: number }) => r.u }, { header: 'n', value: (r) => r.n }], [{ u: '=1+1', n: 3 }]);
    expect(csv).toBe("user,n\r\n'=1+1,3\r\n");
  });
});
