import { describe, expect, it } from 'vitest';
import { criticalPath, pathEdges } from './criticalPath';

type State = Parameters<typeof criticalPath>[0][number]['state'];
const n = (id: string, state: State = 'queued') => ({ id, state });
const e = (from: string, to: string) => ({ from, to });

describe('criticalPath', () => {
  it('is empty for an empty graph', () => {
    expect(criticalPath([], [])).toEqual([]);
  });

  it('follows a chain end to end', () => {
    expect(criticalPath([n('c'), n('a'), n('b')], [e('a', 'b'), e('b', 'c')])).toEqual(['a', 'b', 'c']);
  });

  it('takes the longer branch of a diamond with a tail', () => {
    const nodes = [n('a'), n('b'), n('c'), n('d'), n('e')];
    const edges = [e('a', 'b'), e('a', 'c'), e('c', 'd'), e('b', 'e'), e('d', 'e')];
    expect(criticalPath(nodes, edges)).toEqual(['a', 'c', 'd', 'e']);
  });

  it('leaves out merged and done items: a merge shortens the path', () => {
    const edges = [e('a', 'b'), e('b', 'c')];
    expect(criticalPath([n('a', 'merged'), n('b', 'running'), n('c', 'blocked')], edges)).toEqual(['b', 'c']);
    expect(criticalPath([n('a', 'done'), n('b', 'merged'), n('c')], edges)).toEqual(['c']);
    expect(criticalPath([n('a', 'done'), n('b', 'merged')], edges)).toEqual([]);
  });

  it('counts failed items as still open', () => {
    expect(criticalPath([n('a', 'failed'), n('b', 'blocked')], [e('a', 'b')])).toEqual(['a', 'b']);
  });

  it('breaks ties by node order, ignores unknown nodes and survives a cycle', () => {
    expect(criticalPath([n('x'), n('y')], [])).toEqual(['x']);
    expect(criticalPath([n('a'), n('b')], [e('a', 'ghost'), e('ghost', 'b')])).toEqual(['a']);
    const path = criticalPath([n('a'), n('b'), n('c')], [e('a', 'b'), e('b', 'c'), e('c', 'a')]);
    expect(path).toHaveLength(3);
    expect(new Set(path)).toEqual(new Set(['a', 'b', 'c']));
  });
});

describe('pathEdges', () => {
  it('names the edges between consecutive items', () => {
    expect(pathEdges(['a', 'b', 'c'])).toEqual(new Set(['a->b', 'b->c']));
  });
});
