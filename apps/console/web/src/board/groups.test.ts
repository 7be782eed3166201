import { workItemKinds, workItemStates } from '@horizon/contracts';
import { describe, expect, it } from 'vitest';
import { boardItem } from '../testing/fixtures';
import { allKinds, allStates, groupItems, matchesFilters } from './groups';

describe('board groups', () => {
  it('put every state the contracts know in exactly one column, and know every kind', () => {
    // The app cannot import these lists at runtime (they come with zod); this catches drift.
    expect([...allStates].sort()).toEqual([...workItemStates].sort());
    expect(new Set(allStates).size).toBe(allStates.length);
    expect([...allKinds].sort()).toEqual([...workItemKinds].sort());
  });

  it('keeps the order items came in within a column', () => {
    const items = [
      boardItem({ title: 'one', state: 'merged' }),
      boardItem({ title: 'two', state: 'timed_out' }),
      boardItem({ title: 'three', state: 'done' }),
      boardItem({ title: 'four', state: 'provisioning' }),
    ];
    const groups = groupItems(items);
    expect(groups.done.map((i) => i.title)).toEqual(['one', 'three']);
    expect(groups.stopped.map((i) => i.title)).toEqual(['two']);
    expect(groups.queued.map((i) => i.title)).toEqual(['four']);
    expect(groups.working).toEqual([]);
  });

  it('match an item only when every given filter matches', () => {
    const item = boardItem({
      state: 'running',
      kind: 'revise',
      repo: 'a/b',
      ownerId: 'p',
      labels: ['x', 'y'],
    });
    expect(matchesFilters(item, {})).toBe(true);
    expect(
      matchesFilters(item, { state: 'running', kind: 'revise', repo: 'a/b', owner: 'p', label: 'y' }),
    ).toBe(true);
    expect(matchesFilters(item, { state: 'running', label: 'z' })).toBe(false);
    expect(matchesFilters(boardItem({ ownerId: null }), { owner: 'p' })).toBe(false);
  });
});
