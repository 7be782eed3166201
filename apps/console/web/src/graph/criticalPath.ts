import { groupOf } from '../board/groups';

interface Node {
  id: string;
  state: Parameters<typeof groupOf>[0];
}
interface Edge {
  from: string;
  to: string;
}

export function edgeKey(edge: Edge): string {
  return `${edge.from}->${edge.to}`;
}

/** Merged and done items no longer hold anything up; every other state still does. */
function open(node: Node): boolean {
  return groupOf(node.state) !== 'done';
}

/**
 * The critical path: the longest chain (most items) of not-yet-done items along the edges,
 * first to last — what bounds when the whole plan can finish. Ties go to the chain whose
 * first item comes first in `nodes`. Edges to unknown nodes are ignored, and an edge closing
 * a cycle (which the orchestrator refuses, but data can be wrong) is skipped, not looped on.
 */
export function criticalPath(nodes: readonly Node[], edges: readonly Edge[]): string[] {
  const openIds = new Set(nodes.filter(open).map((n) => n.id));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!openIds.has(e.from) || !openIds.has(e.to)) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }

  // Longest chain starting at each node, memoized; `visiting` detects a cycle.
  const best = new Map<string, string[]>();
  const visiting = new Set<string>();
  const longestFrom = (id: string): string[] => {
    const known = best.get(id);
    if (known) return known;
    visiting.add(id);
    let tail: string[] = [];
    for (const to of next.get(id) ?? []) {
      if (visiting.has(to)) continue;
      const candidate = longestFrom(to);
      if (candidate.length > tail.length) tail = candidate;
    }
    visiting.delete(id);
    const chain = [id, ...tail];
    best.set(id, chain);
    return chain;
  };

  let path: string[] = [];
  for (const n of nodes) {
    if (!openIds.has(n.id)) continue;
    const chain = longestFrom(n.id);
    if (chain.length > path.length) path = chain;
  }
  return path;
}

/** The edges along a path, as `edgeKey`s. */
export function pathEdges(path: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 1; i < path.length; i++) keys.add(edgeKey({ from: path[i - 1], to: path[i] }));
  return keys;
}
