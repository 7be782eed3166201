import { WorkItemState } from '@horizon/contracts';
import { DependencyCycleError, DependencyGraph } from './dependency-graph';

const titles: Record<string, string> = { A: 'Schema', B: 'API', C: 'Worker', D: 'Console' };

function states(entries: Record<string, WorkItemState>): Map<string, WorkItemState> {
  return new Map(Object.entries(entries));
}

describe('DependencyGraph', () => {
  it('records edges both ways and removes them', () => {
    const graph = new DependencyGraph([{ blockerId: 'A', blockedId: 'B' }]);
    graph.addBlocker('A', 'C');
    expect(graph.dependentsOf('A')).toEqual(['B', 'C']);
    expect(graph.blockersOf('B')).toEqual(['A']);
    expect(graph.edges()).toEqual([
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'A', blockedId: 'C' },
    ]);
    expect(graph.removeBlocker('A', 'B')).toBe(true);
    expect(graph.removeBlocker('A', 'B')).toBe(false);
    expect(graph.dependentsOf('A')).toEqual(['C']);
    expect(graph.blockersOf('B')).toEqual([]);
  });

  it('refuses a cycle and names it with titles', () => {
    const graph = new DependencyGraph([], { describe: (id) => titles[id] ?? id });
    graph.addBlocker('A', 'B');
    graph.addBlocker('B', 'C');
    let refusal: unknown;
    try {
      graph.addBlocker('C', 'A');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DependencyCycleError);
    expect((refusal as DependencyCycleError).cycle).toEqual(['A', 'B', 'C', 'A']);
    expect((refusal as DependencyCycleError).message).toContain('Schema → API → Worker → Schema');
    expect(graph.blockersOf('A')).toEqual([]);
  });

  it('names the cycle by ids by default, including an item blocking itself', () => {
    const graph = new DependencyGraph();
    expect(() => graph.addBlocker('A', 'A')).toThrow('A → A');
    graph.addBlocker('A', 'B');
    expect(() => graph.addBlocker('B', 'A')).toThrow('A → B → A');
  });

  it('refuses cyclic edges when loading from rows', () => {
    const rows = [
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'B', blockedId: 'A' },
    ];
    expect(() => new DependencyGraph(rows)).toThrow(DependencyCycleError);
  });

  it('allows a diamond, which has two paths but no cycle', () => {
    const graph = new DependencyGraph([
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'A', blockedId: 'C' },
      { blockerId: 'B', blockedId: 'D' },
    ]);
    expect(() => graph.addBlocker('C', 'D')).not.toThrow();
  });

  it('starts a diamond bottom only when both middles merged', () => {
    const graph = new DependencyGraph([
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'A', blockedId: 'C' },
      { blockerId: 'B', blockedId: 'D' },
      { blockerId: 'C', blockedId: 'D' },
    ]);
    expect(
      graph.unblockedBy('A', states({ A: 'in_review', B: 'blocked', C: 'blocked', D: 'blocked' })),
    ).toEqual(['B', 'C']);
    expect(graph.unblockedBy('B', states({ A: 'done', B: 'merged', C: 'in_review', D: 'blocked' }))).toEqual(
      [],
    );
    expect(graph.unblockedBy('C', states({ A: 'done', B: 'merged', C: 'in_review', D: 'blocked' }))).toEqual([
      'D',
    ]);
    expect(graph.isReleased('D', states({ B: 'done', C: 'merged' }))).toBe(true);
    expect(graph.isReleased('D', states({ B: 'done' }))).toBe(false);
  });

  it('moves a chain forward one link per merge', () => {
    const graph = new DependencyGraph([
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'B', blockedId: 'C' },
    ]);
    expect(graph.unblockedBy('A', states({ A: 'merged', B: 'blocked', C: 'blocked' }))).toEqual(['B']);
    expect(graph.unblockedBy('B', states({ A: 'done', B: 'merged', C: 'blocked' }))).toEqual(['C']);
  });

  it('leaves out dependents that are not waiting', () => {
    const graph = new DependencyGraph([
      { blockerId: 'A', blockedId: 'B' },
      { blockerId: 'A', blockedId: 'C' },
      { blockerId: 'A', blockedId: 'D' },
    ]);
    expect(graph.unblockedBy('A', states({ B: 'cancelled', C: 'queued', D: 'blocked' }))).toEqual(['D']);
  });

  it('keeps a dependent blocked while another blocker is unknown or unfinished', () => {
    const graph = new DependencyGraph([
      { blockerId: 'A', blockedId: 'C' },
      { blockerId: 'B', blockedId: 'C' },
    ]);
    expect(graph.unblockedBy('A', states({ C: 'blocked' }))).toEqual([]);
    expect(graph.unblockedBy('A', states({ B: 'failed', C: 'blocked' }))).toEqual([]);
    graph.removeBlocker('B', 'C');
    expect(graph.unblockedBy('A', states({ C: 'blocked' }))).toEqual(['C']);
  });
});
