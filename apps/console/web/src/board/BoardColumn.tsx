import { useState } from 'react';
import type { BoardItem } from '../../../src/shared/console-api';
import { BoardCard } from './BoardCard';

/** Enough to fill a tall screen; the rest wait behind "Show all" so 1,000 items stay fast. */
export const FIRST_CARDS = 50;

export function BoardColumn({ id, label, items }: { id: string; label: string; items: BoardItem[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? items : items.slice(0, FIRST_CARDS);
  const headingId = `column-${id}`;
  return (
    <section className="column" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {label} <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="column-empty">Nothing here</p>
      ) : (
        <ul className="cards">
          {shown.map((item) => (
            <BoardCard key={item.id} item={item} />
          ))}
        </ul>
      )}
      {items.length > shown.length && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {items.length}
        </button>
      )}
    </section>
  );
}
