import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { gunzipIfCompressed, splitLines, type LineChunk } from './read-lines.js';

async function* from(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

async function collect(chunks: AsyncIterable<LineChunk>): Promise<{ lines: Array<string | null>; end: number }> {
  const lines: Array<string | null> = [];
  let end = 0;
  for await (const c of chunks) {
    lines.push(...c.lines);
    end = c.endOffset;
  }
  return { lines, end };
}

describe('splitLines()', () => {
  it('splits across reads, keeps multi-byte characters whole and counts bytes', async () => {
    const text = Buffer.from('{"a":"é"}\n{"b":1}\nlast');
    const r = await collect(splitLines(from(text.subarray(0, 7), text.subarray(7, 12), text.subarray(12))));
    expect(r).toEqual({ lines: ['{"a":"é"}', '{"b":1}', 'last'], end: text.length });
  });

  it('skips a resume offset', async () => {
    const r = await collect(splitLines(from(Buffer.from('one\ntwo\nthree\n')), { skip: 4 }));
    expect(r).toEqual({ lines: ['two', 'three'], end: 14 });
  });
});

describe('gunzipIfCompressed()', () => {
  it('decompresses by magic bytes and passes plain input through', async () => {
    const gz = gzipSync('hello\n');
    const out: Buffer[] = [];
    for await (const b of gunzipIfCompressed(from(gz.subarray(0, 1), gz.subarray(1)))) out.push(b);
    expect(Buffer.concat(out).toString()).toBe('hello\n');
    const plain: Buffer[] = [];
    for await (const b of gunzipIfCompressed(from(Buffer.from('x'), Buffer.from('y')))) plain.push(b);
    expect(Buffer.concat(plain).toString()).toBe('xy');
  });
});
