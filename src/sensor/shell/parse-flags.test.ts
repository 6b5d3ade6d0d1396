import { describe, expect, it } from 'vitest';
import { parseFlags } from './parse-flags.js';

describe('parseFlags()', () => {
  it('splits combined short flags and keeps operands in order', () => {
    const parsed = parseFlags(['-la', 'x', '--all', 'y']);
    expect([...parsed.flags]).toEqual(['l', 'a', 'all']);
    expect(parsed.operands).toEqual(['x', 'y']);
  });

  it('reads attached and separate values of valued options', () => {
    const parsed = parseFlags(['-n5', '-O', 'out', '--output=o2', '--header', 'H: v', 'url'], ['n', 'O', 'header']);
    expect(Object.fromEntries(parsed.values)).toEqual({ n: '5', O: 'out', output: 'o2', header: 'H: v' });
    expect(parsed.operands).toEqual(['url']);
  });

  it('treats everything after -- and a lone - as operands', () => {
    expect(parseFlags(['-', '--', '-x']).operands).toEqual(['-', '-x']);
  });
});
