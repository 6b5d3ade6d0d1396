import type { TreeNode } from './dashboard-data.js';

/** A row of the tree query: `null` in a name column means "the others past the top N" at that level. */
export interface TreeRow {
  level: 1 | 2 | 3;
  src: string | null;
  port: number | null;
  dst: string | null;
  attempts: number;
}

export const OTHER = 'other';

function byValue(a: TreeNode, b: TreeNode): number {
  if (Boolean(a.other) !== Boolean(b.other)) return a.other ? 1 : -1;
  return b.value - a.value || a.name.localeCompare(b.name);
}

/**
 * Source IP -> "port N" -> destination IP from per-level rows. The top-N
 * nodes keep their names; the rest of a level is one "other" leaf, so each
 * node's value is the sum of its children.
 */
export function buildTree(rows: readonly TreeRow[]): TreeNode {
  const root: TreeNode = { name: 'all sources', value: 0, children: [] };
  const sources = new Map<string, TreeNode>();
  const ports = new Map<string, TreeNode>();
  for (const row of rows.filter((r) => r.level === 1)) {
    const node: TreeNode = row.src === null ? { name: OTHER, value: row.attempts, other: true } : { name: row.src, value: row.attempts, children: [] };
    root.value += row.attempts;
    root.children?.push(node);
    if (row.src !== null) sources.set(row.src, node);
  }
  for (const row of rows.filter((r) => r.level === 2)) {
    const parent = row.src === null ? undefined : sources.get(row.src);
    if (!parent) continue;
    const node: TreeNode = row.port === null ? { name: OTHER, value: row.attempts, other: true } : { name: `port ${row.port}`, value: row.attempts, children: [] };
    parent.children?.push(node);
    if (row.port !== null) ports.set(`${row.src}\u0000${row.port}`, node);
  }
  for (const row of rows.filter((r) => r.level === 3)) {
    const parent = ports.get(`${row.src}\u0000${row.port}`);
    if (!parent) continue;
    parent.children?.push(row.dst === null ? { name: OTHER, value: row.attempts, other: true } : { name: row.dst, value: row.attempts });
  }
  const sort = (node: TreeNode): void => {
    node.children?.sort(byValue);
    node.children?.forEach(sort);
  };
  sort(root);
  return root;
}
