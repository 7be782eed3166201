import { useEffect, useRef, useState } from 'react';
import type { WorkItemDetail, WorkItemPage } from '../../../src/shared/console-api';
import type { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useLiveEvents } from '../live/LiveEvents';

const REFETCH_DELAY_MS = 300;

export type WorkItemState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiFailure; retry: () => void }
  | { status: 'ready'; workItem: WorkItemDetail };

/**
 * One work item, live: a state change shows at once; the timeline and runs (whose actors,
 * tokens and costs the events do not carry) are read again shortly after any event for it.
 */
export function useWorkItem(id: string): WorkItemState {
  const resource = useResource<WorkItemPage>(`/api/work-items/${encodeURIComponent(id)}`);
  const fetched = resource.status === 'ready' ? resource.data : null;
  const [item, setItem] = useState<{ workItem: WorkItemDetail; seq: number } | null>(null);
  const store = useRef(item);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    store.current = fetched ? { workItem: fetched.workItem, seq: fetched.streamSeq } : null;
    setItem(store.current);
  }, [fetched]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents(fetched?.streamSeq ?? null, (event) => {
    const current = store.current;
    // Idempotent by sequence: replays and duplicates are at or before the last one applied.
    if (!current || event.seq <= current.seq || event.data.workItemId !== id) return;
    let workItem = current.workItem;
    if (event.subject === 'hzn.evt.workitem.state_changed') {
      workItem = {
        ...workItem,
        state: event.data.to as WorkItemDetail['state'],
        stateEnteredAt: event.occurredAt,
      };
    }
    store.current = { workItem, seq: event.seq };
    setItem(store.current);
    if (timer.current === undefined) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        resource.reload();
      }, REFETCH_DELAY_MS);
    }
  });

  if (resource.status === 'error') return { status: 'error', error: resource.error, retry: resource.reload };
  if (!item) return { status: 'loading' };
  return { status: 'ready', workItem: item.workItem };
}
