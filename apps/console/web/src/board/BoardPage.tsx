import { useMemo } from 'react';
import type { BoardItem } from '../../../src/shared/console-api';
import { ErrorNotice } from '../shell/ErrorNotice';
import { BoardColumn } from './BoardColumn';
import { FilterToolbar } from './FilterToolbar';
import { groupItems, stateGroups } from './groups';
import { useBoard, useBoardFilters } from './useBoard';

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}

function suggestionsFrom(items: BoardItem[]) {
  return {
    repo: distinct(items.map((i) => i.repo)),
    owner: distinct(items.map((i) => i.ownerId)),
    label: distinct(items.flatMap((i) => i.labels)),
  };
}

export function BoardPage() {
  const [filters, setFilters] = useBoardFilters();
  const board = useBoard(filters);
  const items = board.status === 'ready' ? board.items : null;
  const groups = useMemo(() => (items ? groupItems(items) : null), [items]);
  const suggestions = useMemo(() => suggestionsFrom(items ?? []), [items]);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <section className="page board-page" aria-labelledby="board-title">
      <h1 id="board-title">Board</h1>
      <FilterToolbar filters={filters} onChange={setFilters} suggestions={suggestions} />
      {board.status === 'loading' && <p className="page-status">Loading work items…</p>}
      {board.status === 'error' && (
        <ErrorNotice what="Loading the board" error={board.error} onRetry={board.retry} />
      )}
      {board.status === 'ready' && board.truncated && (
        <p className="notice">
          Showing the first {board.items.length} matching items; narrow the filters to see the rest.
        </p>
      )}
      {items && items.length === 0 && !filtered && (
        <div className="empty">
          <p>No work yet.</p>
          <p>
            Start the demo with <code>npm start</code>, or create work from Linear, Slack or{' '}
            <code>POST /api/v1/work-items</code>.
          </p>
        </div>
      )}
      {items && items.length === 0 && filtered && (
        <p className="empty">No work item matches these filters. Clear a filter to see more.</p>
      )}
      {groups && items && items.length > 0 && (
        <div className="columns">
          {stateGroups.map((g) => (
            <BoardColumn key={g.id} id={g.id} label={g.label} items={groups[g.id]} />
          ))}
        </div>
      )}
    </section>
  );
}
