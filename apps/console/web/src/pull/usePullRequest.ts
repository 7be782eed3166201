import { useEffect, useRef } from 'react';
import type { PullRequestPage } from '../../../src/shared/console-api';
import { useResource, type Resource } from '../api/useResource';
import { useLiveEvents } from '../live/LiveEvents';

const REFETCH_DELAY_MS = 300;
/** What changes a pull request's page: its work item moving (a revise run starts, pushes, ends). */
const FOLLOWED = new Set(['hzn.evt.workitem.state_changed', 'hzn.evt.run.started', 'hzn.evt.run.finished']);

/**
 * A local forge pull request, live: the forge publishes nothing to the console, but everything
 * that changes the page — a revise run answering a review, its push, the merge — moves the work
 * item, so the page is read again shortly after any of its work item's state or run events.
 */
export function usePullRequest(path: string): Resource<PullRequestPage> & { reload: () => void } {
  const resource = useResource<PullRequestPage>(path);
  const page = resource.status === 'ready' ? resource.data : null;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents(page?.streamSeq ?? null, (event) => {
    if (!page?.workItem || event.data.workItemId !== page.workItem.id) return;
    if (!FOLLOWED.has(event.subject) || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      resource.reload();
    }, REFETCH_DELAY_MS);
  });
  return resource;
}
