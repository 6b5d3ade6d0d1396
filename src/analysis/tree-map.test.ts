import { describe, it, expect } from 'vitest';
import { buildTreeMap } from './tree-map.js';

describe('buildTreeMap()', () => {
  it('nests source IP, destination port and destination IP, largest first', () => {
    const tree = buildTreeMap([
      { src: '1.1.1.1', port: 25, dst: '9.9.9.1', attempts: 5 },
      { src: '1.1.1.1', port: 25, dst: '9.9.9.2', attempts: 3 },
      { src: '1.1.1.1', port: 80, dst: '9.9.9.3', attempts: 1 },
      { src: '2.2.2.2', port: 587, dst: '9.9.9.4', attempts: 20 },
    ]);
    expect(tree).toEqual([
      { name: '2.2.2.2', value: 20, children: [{ name: 'port 587', value: 20, children: [{ name: '9.9.9.4', value: 20 }] }] },
      {
        name: '1.1.1.1',
        value: 9,
        children: [
          { name: 'port 25', value: 8, children: [{ name: '9.9.9.1', value: 5 }, { name: '9.9.9.2', value: 3 }] },
          { name: 'port 80', value: 1, children: [{ name: '9.9.9.3', value: 1 }] },
        ],
      },
    ]);
  });

  it('folds what is beyond the top N into "other" without losing attempts', () => {
    const triples = Array.from({ length: 30 }, (_, i) => ({ src: '1.1.1.1', port: 25, dst: `10.0.0.${i}`, attempts: i + 1 }));
    const tree = buildTreeMap(triples, { destinations: 3 });
    const port = tree[0]?.children?.[0];
    expect(port?.children?.map((c) => c.name)).toEqual(['10.0.0.29', '10.0.0.28', '10.0.0.27', 'other (27)']);
    expect(port?.value).toBe((30 * 31) / 2);
  });
});
