import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { BoardItem, BoardView } from '../../../src/shared/console-api';
import type { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useLiveItems } from '../live/useLiveItems';
import { filterKeys, matchesFilters, type BoardFilters } from './groups';

/** The filters live in the URL query, so a link to the board shares them. */
export function useBoardFilters(): [BoardFilters, (next: BoardFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: BoardFilters = {};
    for (const key of filterKeys) {
      const value = params.get(key);
      if (value) f[key] = value;
    }
    return f;
  }, [params]);
  const setFilters = (next: BoardFilters) => {
    const query = new URLSearchParams();
    for (const key of filterKeys) if (next[key]) query.set(key, next[key]);
    setParams(query);
  };
  return [filters, setFilters];
}

export type BoardState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiFailure; retry: () => void }
  | { status: 'ready'; items: BoardItem[]; truncated: boolean };

/** The board's items for these filters, kept current by live events. */
export function useBoard(filters: BoardFilters): BoardState {
  const query = new URLSearchParams(filters as Record<string, string>).toString();
  const resource = useResource<BoardView>(`/api/work-items${query ? `?${query}` : ''}`);
  const fetched = resource.status === 'ready' ? resource.data : null;
  const live = useLiveItems(fetched, resource.reload);
  const items = useMemo(
    () => live?.items.filter((item) => matchesFilters(item, filters)) ?? [],
    [live, filters],
  );
  if (resource.status === 'error') return { status: 'error', error: resource.error, retry: resource.reload };
  if (!fetched || !live) return { status: 'loading' };
  return { status: 'ready', items, truncated: fetched.truncated };
}
