import {
  applyEdit,
  blockersFirst,
  findCycle,
  itemsFromProposal,
  PlanRuleBroken,
  type PlanItem,
} from './plan';

const item = (id: string, blockedBy: string[] = []): PlanItem => ({
  id,
  title: id.toUpperCase(),
  description: '',
  acceptanceCriteria: '',
  blockedBy,
});

describe('plan items', () => {
  it('finds a cycle with its path, first id repeated last', () => {
    expect(findCycle([item('a', ['c']), item('b', ['a']), item('c', ['b'])])).toEqual(['a', 'c', 'b', 'a']);
    expect(findCycle([item('a'), item('b', ['a']), item('c', ['a', 'b'])])).toBeNull();
  });

  it('refuses an edge that closes a cycle, naming the items in it', () => {
    const items = [item('a'), item('b', ['a'])];
    expect(() =>
      applyEdit(items, { kind: 'update_item', itemId: 'a', changes: { blockedBy: ['b'] } }),
    ).toThrow(new PlanRuleBroken('that would make a cycle: "A" → "B" → "A"; nothing in it could ever start'));
  });

  it('refuses a self-edge and an edge to an item not in the plan', () => {
    expect(() =>
      applyEdit([item('a')], { kind: 'update_item', itemId: 'a', changes: { blockedBy: ['a'] } }),
    ).toThrow(/cannot be blocked by itself/);
    expect(() =>
      applyEdit([item('a')], { kind: 'add_item', item: { ...item('b'), blockedBy: ['zzz'] } }),
    ).toThrow(/not in this plan/);
  });

  it('removes an item and the edges that named it', () => {
    const next = applyEdit([item('a'), item('b', ['a'])], { kind: 'remove_item', itemId: 'a' });
    expect(next).toEqual([item('b')]);
  });

  it('refuses to edit an item that is gone', () => {
    expect(() => applyEdit([item('a')], { kind: 'remove_item', itemId: 'x' })).toThrow(/no item x/);
  });

  it('orders blockers before the items they block', () => {
    const ordered = blockersFirst([item('c', ['b']), item('a'), item('b', ['a'])]);
    expect(ordered.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  describe('a PM agent proposal', () => {
    const issue = (key: string, blockedBy: string[] = []) => ({
      key,
      title: `Issue ${key}`,
      description: `Why ${key}`,
      acceptanceCriteria: ['one', 'two'],
      blockedBy,
    });
    const counter = () => {
      let n = 0;
      return () => `id-${++n}`;
    };

    it('becomes items with new ids, criteria one per line, and keys turned into those ids', () => {
      expect(itemsFromProposal([issue('A'), issue('B', ['A', 'A'])], counter())).toEqual([
        { id: 'id-1', title: 'Issue A', description: 'Why A', acceptanceCriteria: 'one\ntwo', blockedBy: [] },
        {
          id: 'id-2',
          title: 'Issue B',
          description: 'Why B',
          acceptanceCriteria: 'one\ntwo',
          blockedBy: ['id-1'],
        },
      ]);
    });

    it('is refused when it names a key it does not have, or closes a cycle', () => {
      expect(() => itemsFromProposal([issue('A', ['Z'])], counter())).toThrow(
        new PlanRuleBroken('"Issue A" is blocked by Z, which the proposal does not have'),
      );
      expect(() => itemsFromProposal([issue('A', ['B']), issue('B', ['A'])], counter())).toThrow(/cycle/);
    });
  });
});
