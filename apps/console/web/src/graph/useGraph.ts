import { useMemo } from 'react';
import type { BoardItem, GraphView } from '../../../src/shared/console-api';
import type { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useLiveItems } from '../live/useLiveItems';

export type GraphState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiFailure; retry: () => void }
  | { status: 'ready'; nodes: BoardItem[]; edges: GraphView['edges'] };

/** A plan's or a repository's graph, its nodes kept current by live events. */
export function useGraph(query: { parentId: string } | { repo: string }): GraphState {
  const params = new URLSearchParams(query).toString();
  const resource = useResource<GraphView>(`/api/graph?${params}`);
  const data = resource.status === 'ready' ? resource.data : null;
  // The live store works on lists of board items; a graph's nodes are exactly that.
  const fetched = useMemo(() => (data ? { items: data.nodes, streamSeq: data.streamSeq } : null), [data]);
  const live = useLiveItems(fetched, resource.reload);
  if (resource.status === 'error') return { status: 'error', error: resource.error, retry: resource.reload };
  if (!data || !live) return { status: 'loading' };
  return { status: 'ready', nodes: live.items, edges: data.edges };
}
