import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveEvent, RunPage, TranscriptEntry } from '../../../src/shared/console-api';
import type { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useLiveEvents } from '../live/LiveEvents';

const REFETCH_DELAY_MS = 300;

export type RunState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiFailure; retry: () => void }
  | { status: 'ready'; page: RunPage; transcript: TranscriptEntry[] };

/** A transcript line from its `hzn.evt.run.progress` event. */
function entryOf(event: LiveEvent): TranscriptEntry {
  const d = event.data;
  return {
    seq: Number(d.seq),
    phase: d.phase as TranscriptEntry['phase'],
    kind: String(d.kind),
    summary: String(d.summary),
    detail: (d.detail ?? {}) as Record<string, unknown>,
    at: event.occurredAt,
  };
}

/**
 * One run, live: transcript lines are added as their events arrive, keyed by the runner's seq
 * so a line both fetched and streamed (or streamed twice) shows once. The run's outcome,
 * tokens and checks are read again when an event says the run or its item moved on.
 */
export function useRun(id: string): RunState {
  const resource = useResource<RunPage>(`/api/runs/${encodeURIComponent(id)}`);
  const fetched = resource.status === 'ready' ? resource.data : null;
  // Lines streamed since the page was read; merged with the fetched ones at render.
  const [live, setLive] = useState<{ runId: string; lines: ReadonlyMap<number, TranscriptEntry> }>({
    runId: id,
    lines: new Map(),
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents(fetched?.streamSeq ?? null, (event) => {
    if (event.subject === 'hzn.evt.run.progress' && event.data.runId === id) {
      const entry = entryOf(event);
      setLive((current) => {
        const lines = current.runId === id ? current.lines : new Map<number, TranscriptEntry>();
        return lines.has(entry.seq) ? current : { runId: id, lines: new Map(lines).set(entry.seq, entry) };
      });
      return;
    }
    const aboutThis = event.data.runId === id || event.data.workItemId === fetched?.workItem.id;
    if (!aboutThis || event.subject === 'hzn.evt.run.progress' || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      resource.reload();
    }, REFETCH_DELAY_MS);
  });

  const transcript = useMemo(() => {
    const lines = new Map(live.runId === id ? live.lines : []);
    for (const entry of fetched?.transcript ?? []) lines.set(entry.seq, entry);
    return [...lines.values()].sort((a, b) => a.seq - b.seq);
  }, [fetched, live, id]);

  if (resource.status === 'error') return { status: 'error', error: resource.error, retry: resource.reload };
  if (!fetched) return { status: 'loading' };
  return { status: 'ready', page: fetched, transcript };
}
