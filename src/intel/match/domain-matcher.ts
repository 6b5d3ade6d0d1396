const NO_IDS: readonly number[] = Object.freeze([]);

interface DomainNode {
  exact: number[];
  subtree: number[];
}

/**
 * Names with explicit semantics: an `exact` entry matches that name only (Zeek's
 * Intel::DOMAIN), a `subdomains` entry matches the name and every name below
 * it (RPZ's `name` plus `*.name`). A lookup walks the labels from the full name
 * to its parents, one Map probe each.
 */
export class DomainMatcher {
  readonly #nodes = new Map<string, DomainNode>();

  get size(): number {
    return this.#nodes.size;
  }

  /** `name` must already be canonical (lowercase, no trailing dot). */
  add(name: string, id: number, options: { subdomains: boolean }): void {
    let node = this.#nodes.get(name);
    if (!node) {
      node = { exact: [], subtree: [] };
      this.#nodes.set(name, node);
    }
    (options.subdomains ? node.subtree : node.exact).push(id);
  }

  /** The ids matching a queried name (case and a trailing dot ignored). */
  ids(query: string): readonly number[] {
    if (this.#nodes.size === 0 || query === '') return NO_IDS;
    let name = query.endsWith('.') ? query.slice(0, -1) : query;
    name = name.toLowerCase();
    let found: number[] | undefined;
    const own = this.#nodes.get(name);
    if (own) found = [...own.exact, ...own.subtree];
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
      const parent = this.#nodes.get(name.slice(dot + 1));
      if (parent && parent.subtree.length > 0) found = [...(found ?? []), ...parent.subtree];
    }
    return found ?? NO_IDS;
  }
}
