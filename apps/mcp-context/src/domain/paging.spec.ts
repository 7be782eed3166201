import { CursorError, decodeCursor, encodeCursor, queryKey, takePage } from './paging';

type Doc = { path: string; content: string };

/** Reads every page from the start, as a client following nextCursor would. */
function readAll(items: Doc[], maxBytes: number, maxItems = 50) {
  const pages = [];
  let from = { index: 0, offset: 0 };
  for (;;) {
    const page = takePage(items, 'content', from, { maxBytes, maxItems, frameBytes: 20 });
    pages.push(page);
    if (!page.next) return pages;
    from = page.next;
  }
}

describe('takePage', () => {
  const items: Doc[] = [
    { path: 'a', content: 'x'.repeat(50) },
    { path: 'b', content: 'é'.repeat(3000) },
    { path: 'c', content: 'small' },
  ];

  it('keeps every page under the cap and loses nothing across cuts', () => {
    const pages = readAll(items, 1000);
    // The frame (20 bytes) already counts the array's brackets; 120 is kept for the cursor.
    for (const p of pages)
      expect(Buffer.byteLength(JSON.stringify(p.items)) - 2 + 20 + 120).toBeLessThanOrEqual(1000);
    const joined = new Map<string, string>();
    for (const item of pages.flatMap((p) => p.items))
      joined.set(item.path, (joined.get(item.path) ?? '') + item.content);
    expect([...joined]).toEqual(items.map((i) => [i.path, i.content]));
    const cut = pages.flatMap((p) => p.items).filter((i) => i.path === 'b');
    expect(cut[0]!.textRange).toMatchObject({ start: 0, total: 3000 });
    expect(cut.at(-1)!.textRange!.end).toBe(3000);
  });

  it('stops at the item limit', () => {
    expect(readAll(items, 100_000, 2).map((p) => p.items.map((i) => i.path))).toEqual([['a', 'b'], ['c']]);
  });
});

describe('cursors', () => {
  it('are bound to the tool and its arguments, not to cursor or limit', () => {
    const key = queryKey('logs_search', { query: 'boot', limit: 5 });
    expect(queryKey('logs_search', { query: 'boot', cursor: 'x' })).toBe(key);
    const cursor = encodeCursor(key, { index: 3, offset: 10 });
    expect(decodeCursor(key, cursor)).toEqual({ index: 3, offset: 10 });
    expect(() => decodeCursor(queryKey('logs_search', { query: 'other' }), cursor)).toThrow(CursorError);
    expect(() => decodeCursor(key, 'garbage!')).toThrow('cursor is not one this server issued');
  });
});
