import { describe, it, expect } from 'vitest';
import { buildLinkGraph } from './link-graph.js';

const TRIPLES = [
  { src: '1.1.1.1', port: 25, dst: '9.9.9.1', attempts: 10 },
  { src: '1.1.1.1', port: 25, dst: '9.9.9.2', attempts: 1 },
  { src: '2.2.2.2', port: 80, dst: '9.9.9.1', attempts: 4 },
];

describe('buildLinkGraph()', () => {
  it('links source → port → destination with summed edge weights', () => {
    const g = buildLinkGraph(TRIPLES);
    expect(g.omitted).toBe(0);
    expect(g.nodes).toContainEqual({ id: 'dst 9.9.9.1', kind: 'destination', value: 14 });
    expect(g.edges).toContainEqual({ source: 'src 1.1.1.1', target: 'port 25', value: 11 });
    expect(g.edges).toContainEqual({ source: 'port 25', target: 'dst 9.9.9.2', value: 1 });
  });

  it('drops edges and nodes under the AfterGlow-style thresholds and counts what was left out', () => {
    const g = buildLinkGraph(TRIPLES, { edgeMin: 2, sourceMin: 5 });
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['dst 9.9.9.1', 'port 25', 'src 1.1.1.1']);
    expect(g.omitted).toBe(5);
  });

  it('caps the node count, keeping the biggest paths', () => {
    const g = buildLinkGraph(TRIPLES, { maxNodes: 3 });
    expect(g.nodes).toHaveLength(3);
    expect(g.omitted).toBe(5);
  });
});
