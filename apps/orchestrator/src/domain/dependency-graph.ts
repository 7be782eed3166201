import { WorkItemState } from '@horizon/contracts';

/** `blockerId` blocks `blockedId`: the blocked item may not start before the blocker merged. */
export interface DependencyEdge {
  readonly blockerId: string;
  readonly blockedId: string;
}

/** States in which a blocker no longer holds anything back. */
export const releasingStates: readonly WorkItemState[] = ['merged', 'done'];

export class DependencyCycleError extends Error {
  /** The cycle as ids, following blocker → blocked arrows; the first id is repeated at the end. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[], describe: (id: string) => string) {
    super(`Dependency refused: it would close the cycle ${cycle.map(describe).join(' → ')}`);
    this.name = 'DependencyCycleError';
    this.cycle = cycle;
  }
}

export interface DependencyGraphOptions {
  /** How an item is named in a cycle message (its title, its tracker identifier); defaults to the id. */
  describe?: (id: string) => string;
}

/**
 * The blocks / blocked-by relation between work items, kept acyclic. It is loaded from the
 * `WorkItemDependency` rows; every edge it accepts can be written back unchanged.
 */
export class DependencyGraph {
  private readonly blockers = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly describe: (id: string) => string;

  constructor(edges: Iterable<DependencyEdge> = [], options: DependencyGraphOptions = {}) {
    this.describe = options.describe ?? ((id) => id);
    for (const edge of edges) this.addBlocker(edge.blockerId, edge.blockedId);
  }

  /** @throws DependencyCycleError when `blockedId` already (transitively) blocks `blockerId`. */
  addBlocker(blockerId: string, blockedId: string): void {
    const back = this.pathBetween(blockedId, blockerId);
    if (back) throw new DependencyCycleError([...back, blockedId], this.describe);
    link(this.blockers, blockedId, blockerId);
    link(this.dependents, blockerId, blockedId);
  }

  /** Returns whether the edge existed. */
  removeBlocker(blockerId: string, blockedId: string): boolean {
    const existed = this.blockers.get(blockedId)?.delete(blockerId) ?? false;
    this.dependents.get(blockerId)?.delete(blockedId);
    return existed;
  }

  /** How causes and errors name an item (its title, where the graph was given one). */
  name(id: string): string {
    return this.describe(id);
  }

  blockersOf(id: string): string[] {
    return [...(this.blockers.get(id) ?? [])];
  }

  /** The items `id` blocks directly. */
  dependentsOf(id: string): string[] {
    return [...(this.dependents.get(id) ?? [])];
  }

  edges(): DependencyEdge[] {
    return [...this.dependents].flatMap(([blockerId, blocked]) =>
      [...blocked].map((blockedId) => ({ blockerId, blockedId })),
    );
  }

  /** The blockers of `id` not merged or done yet. A blocker whose state is unknown still blocks. */
  pendingBlockersOf(id: string, states: ReadonlyMap<string, WorkItemState>): string[] {
    return this.blockersOf(id).filter((blocker) => !isReleasing(states.get(blocker)));
  }

  isReleased(id: string, states: ReadonlyMap<string, WorkItemState>): boolean {
    return this.pendingBlockersOf(id, states).length === 0;
  }

  /**
   * After `mergedId` merged: the items it blocked that are waiting (`blocked`) and now have no
   * blocker left. `mergedId` counts as merged whatever `states` says, so the caller may pass the
   * states read before committing the merge. Items further down a chain stay blocked by the
   * ones returned here until those merge in turn.
   */
  unblockedBy(mergedId: string, states: ReadonlyMap<string, WorkItemState>): string[] {
    const withMerge = new Map(states).set(mergedId, 'merged');
    return this.dependentsOf(mergedId).filter(
      (dependent) => withMerge.get(dependent) === 'blocked' && this.isReleased(dependent, withMerge),
    );
  }

  /** A shortest path `from → … → to` along blocker → blocked arrows, if there is one. */
  private pathBetween(from: string, to: string): string[] | null {
    const cameFrom = new Map<string, string | null>([[from, null]]);
    const queue = [from];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      if (current === to) {
        const path: string[] = [];
        for (let step: string | null = current; step !== null; step = cameFrom.get(step) ?? null)
          path.unshift(step);
        return path;
      }
      for (const next of this.dependents.get(current) ?? []) {
        if (!cameFrom.has(next)) {
          cameFrom.set(next, current);
          queue.push(next);
        }
      }
    }
    return null;
  }
}

function isReleasing(state: WorkItemState | undefined): boolean {
  return state !== undefined && releasingStates.includes(state);
}

function link(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key) ?? new Set<string>();
  set.add(value);
  index.set(key, set);
}
