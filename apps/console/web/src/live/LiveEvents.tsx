import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LiveEvent } from '../../../src/shared/console-api';

export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'closed';
type Listener = (event: LiveEvent) => void;

/**
 * The page's one connection to `/api/events`. It opens at the stream position of the first
 * page fetch; pages loaded later subscribe from their own position, and the recent events
 * kept here replay anything the stream delivered while their fetch was in flight.
 */
class LiveHub {
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly recent: LiveEvent[] = [];
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();
  status: LiveStatus = 'idle';

  /** Enough to cover a page fetch in flight on a busy installation; older ones are dropped. */
  private static readonly KEEP = 500;

  /** Opens the stream after `streamSeq`; only the first call opens it. */
  start(streamSeq: number): void {
    if (this.source) return;
    const source = new EventSource(`/api/events?after=${streamSeq}`);
    this.source = source;
    this.setStatus('connecting');
    source.onopen = () => this.setStatus('live');
    // EventSource reconnects by itself (resending Last-Event-ID) unless the server refused it.
    source.onerror = () =>
      this.setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('horizon', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      this.recent.push(event);
      if (this.recent.length > LiveHub.KEEP) this.recent.shift();
      for (const listener of this.listeners) listener(event);
    });
  }

  /** Delivers every event after `afterSeq` (the recent ones at once), until unsubscribed. */
  subscribe(afterSeq: number, listener: Listener): () => void {
    for (const event of this.recent) if (event.seq > afterSeq) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.source?.close();
    this.source = null;
    this.setStatus('idle');
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

const HubContext = createContext<LiveHub | null>(null);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const value = useMemo(() => new LiveHub(), []);
  useEffect(() => () => value.close(), [value]);
  return <HubContext.Provider value={value}>{children}</HubContext.Provider>;
}

function useHub(): LiveHub {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('useLiveEvents needs a <LiveEventsProvider> above it');
  return hub;
}

/**
 * Calls `onEvent` for every live event after `streamSeq` (the position the page's data was
 * read at); null while that data is still loading. The latest `onEvent` is always the one
 * called, so callers need not memoize it.
 */
export function useLiveEvents(streamSeq: number | null, onEvent: Listener): void {
  const hub = useHub();
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  useEffect(() => {
    if (streamSeq === null) return;
    hub.start(streamSeq);
    return hub.subscribe(streamSeq, (event) => latest.current(event));
  }, [hub, streamSeq]);
}

export function useLiveStatus(): LiveStatus {
  const hub = useHub();
  const [status, setStatus] = useState(hub.status);
  useEffect(() => {
    setStatus(hub.status);
    return hub.onStatus(setStatus);
  }, [hub]);
  return status;
}
