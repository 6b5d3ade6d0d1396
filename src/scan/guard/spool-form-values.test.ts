import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { spoolFormValues } from './spool-form-values.js';

async function decode(chunks: string[]): Promise<Array<{ name: string; value: string }>> {
  const out = new PassThrough();
  const written: Buffer[] = [];
  out.on('data', (b: Buffer) => written.push(b));
  const values = await spoolFormValues(
    (async function* () {
      for (const c of chunks) yield Buffer.from(c, 'latin1');
    })(),
    out,
  );
  const all = Buffer.concat(written);
  return values.map((v) => ({ name: v.name, value: all.subarray(v.start, v.end).toString('latin1') }));
}

describe('spoolFormValues', () => {
  it('decodes as URLSearchParams does, whatever the chunking', async () => {
    const body = 'a=1+2&b%20c=x%41y%zz%4&empty=&flag&last=%E2%82%AC';
    const expected = [...new URLSearchParams(body)].filter(([name]) => name !== 'flag').map(([name, value]) => ({ name, value: Buffer.from(value).toString('latin1') }));
    expect(await decode([body])).toEqual(expected);
    expect(await decode([...body])).toEqual(expected);
    expect(await decode([body.slice(0, 17), body.slice(17, 18), body.slice(18)])).toEqual(expected);
  });
});
