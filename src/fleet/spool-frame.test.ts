import { describe, expect, it } from 'vitest';
import { decodeSpoolFrames, encodeSpoolFrame } from './spool-frame.js';

describe('decodeSpoolFrames()', () => {
  it('returns the payloads of encodeSpoolFrame() in order', () => {
    const data = Buffer.concat([encodeSpoolFrame(Buffer.from('one\n')), encodeSpoolFrame(Buffer.from('')), encodeSpoolFrame(Buffer.from('three\n'))]);
    const decoded = decodeSpoolFrames(data);
    expect(decoded.payloads.map(String)).toEqual(['one\n', '', 'three\n']);
    expect(decoded.validBytes).toBe(data.length);
  });

  it('stops before a torn last frame', () => {
    const first = encodeSpoolFrame(Buffer.from('kept'));
    const torn = encodeSpoolFrame(Buffer.from('torn by a crash')).subarray(0, 12);
    const decoded = decodeSpoolFrames(Buffer.concat([first, torn]));
    expect(decoded.payloads.map(String)).toEqual(['kept']);
    expect(decoded.validBytes).toBe(first.length);
  });

  it('stops at a frame whose checksum does not match', () => {
    const first = encodeSpoolFrame(Buffer.from('kept'));
    const bad = encodeSpoolFrame(Buffer.from('flipped'));
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1);
    expect(decodeSpoolFrames(Buffer.concat([first, bad])).payloads.map(String)).toEqual(['kept']);
  });
});
