import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree.js';

describe('buildTree()', () => {
  it('nests source, port and destination and keeps "other" last at each level', () => {
    const tree = buildTree([
      { level: 1, src: '10.0.0.1', port: null, dst: null, attempts: 7 },
      { level: 1, src: null, port: null, dst: null, attempts: 9 },
      { level: 2, src: '10.0.0.1', port: 25, dst: null, attempts: 5 },
      { level: 2, src: '10.0.0.1', port: null, dst: null, attempts: 2 },
      { level: 3, src: '10.0.0.1', port: 25, dst: '192.0.2.1', attempts: 4 },
      { level: 3, src: '10.0.0.1', port: 25, dst: null, attempts: 1 },
    ]);
    expect(tree).toEqual({
      name: 'all sources',
      value: 16,
      children: [
        {
          name: '10.0.0.1',
          value: 7,
          children: [
            { name: 'port 25', value: 5, children: [{ name: '192.0.2.1', value: 4 }, { name: 'other', value: 1, other: true }] },
            { name: 'other', value: 2, other: true },
          ],
        },
        { name: 'other', value: 9, other: true },
      ],
    });
  });
});
