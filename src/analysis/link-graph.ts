import type { TripleCount } from '../store/store.js';

export interface GraphNode {
  id: string;
  kind: 'source' | 'port' | 'destination';
  value: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  value: number;
}

export interface LinkGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Attempts left out by the thresholds. */
  omitted: number;
}

/** AfterGlow-style thresholds: drop rare nodes and edges, then cap the node count. */
export interface LinkGraphThresholds {
  /** Least attempts for a source node. */
  sourceMin?: number;
  /** Least attempts for a destination node. */
  destinationMin?: number;
  /** Least attempts on a source → port → destination path. */
  edgeMin?: number;
  /** Most nodes drawn; the smallest paths go first. */
  maxNodes?: number;
}

/**
 * Source IP → destination port → destination IP link graph for one day,
 * as AfterGlow draws source → event → target (pure).
 */
export function buildLinkGraph(triples: readonly TripleCount[], thresholds: LinkGraphThresholds = {}): LinkGraph {
  const sourceMin = thresholds.sourceMin ?? 1;
  const destinationMin = thresholds.destinationMin ?? 1;
  const edgeMin = thresholds.edgeMin ?? 1;
  const maxNodes = thresholds.maxNodes ?? 150;
  const srcTotals = sum(triples, (t) => t.src);
  const dstTotals = sum(triples, (t) => t.dst);
  const kept = triples
    .filter((t) => t.attempts >= edgeMin && (srcTotals.get(t.src) ?? 0) >= sourceMin && (dstTotals.get(t.dst) ?? 0) >= destinationMin)
    .sort((a, b) => b.attempts - a.attempts);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  let omitted = triples.reduce((s, t) => s + t.attempts, 0);
  for (const t of kept) {
    const ids = [`src ${t.src}`, `port ${t.port}`, `dst ${t.dst}`];
    const fresh = ids.filter((id) => !nodes.has(id)).length;
    if (nodes.size + fresh > maxNodes) continue;
    omitted -= t.attempts;
    addNode(nodes, ids[0] as string, 'source', t.attempts);
    addNode(nodes, ids[1] as string, 'port', t.attempts);
    addNode(nodes, ids[2] as string, 'destination', t.attempts);
    addEdge(edges, ids[0] as string, ids[1] as string, t.attempts);
    addEdge(edges, ids[1] as string, ids[2] as string, t.attempts);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], omitted };
}

function sum(triples: readonly TripleCount[], key: (t: TripleCount) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of triples) out.set(key(t), (out.get(key(t)) ?? 0) + t.attempts);
  return out;
}

function addNode(nodes: Map<string, GraphNode>, id: string, kind: GraphNode['kind'], n: number): void {
  const existing = nodes.get(id);
  if (existing) existing.value += n;
  else nodes.set(id, { id, kind, value: n });
}

function addEdge(edges: Map<string, GraphEdge>, source: string, target: string, n: number): void {
  const key = `${source}\u0000${target}`;
  const existing = edges.get(key);
  if (existing) existing.value += n;
  else edges.set(key, { source, target, value: n });
}
