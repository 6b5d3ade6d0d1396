import type { TripleCount } from '../store/store.js';

/** A node of the source IP → destination port → destination IP tree map (ECharts treemap data). */
export interface TreeNode {
  name: string;
  value: number;
  children?: TreeNode[];
}

export interface TreeMapLimits {
  sources?: number;
  ports?: number;
  destinations?: number;
}

/**
 * Builds the three-level hierarchy from (source, port, destination) counts,
 * keeping the top N at each level and folding the rest into "other" (pure).
 */
export function buildTreeMap(triples: readonly TripleCount[], limits: TreeMapLimits = {}): TreeNode[] {
  const bySource = new Map<string, Map<number, Map<string, number>>>();
  for (const t of triples) {
    let ports = bySource.get(t.src);
    if (!ports) bySource.set(t.src, (ports = new Map()));
    let dsts = ports.get(t.port);
    if (!dsts) ports.set(t.port, (dsts = new Map()));
    dsts.set(t.dst, (dsts.get(t.dst) ?? 0) + t.attempts);
  }
  const sources = [...bySource].map(([src, ports]) => {
    const portNodes = [...ports].map(([port, dsts]) => {
      const leaves = [...dsts].map(([dst, n]) => ({ name: dst, value: n }));
      return node(`port ${port}`, top(leaves, limits.destinations ?? 25));
    });
    return node(src, top(portNodes, limits.ports ?? 10));
  });
  return top(sources, limits.sources ?? 20);
}

function node(name: string, children: TreeNode[]): TreeNode {
  return { name, value: children.reduce((s, c) => s + c.value, 0), children };
}

function top(nodes: TreeNode[], n: number): TreeNode[] {
  const sorted = [...nodes].sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length <= n) return sorted;
  const rest = sorted.slice(n);
  return [...sorted.slice(0, n), { name: `other (${rest.length})`, value: rest.reduce((s, c) => s + c.value, 0) }];
}
