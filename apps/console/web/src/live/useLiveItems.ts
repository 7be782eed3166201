import { useEffect, useRef, useState } from 'react';
import type { BoardItem } from '../../../src/shared/console-api';
import { applyEvent, type ItemsAtSeq } from './applyEvent';
import { useLiveEvents } from './LiveEvents';

/** Coalesces a burst of "read the list again" into one request. */
const REFETCH_DELAY_MS = 300;

/**
 * Keeps a fetched list of items current: applies live events on top of the fetched list, and
 * asks for a reload (debounced) when an event names an item the list does not hold. A reload
 * answer replaces the list and its stream position; the events after that position replay.
 */
export function useLiveItems(
  fetched: { items: BoardItem[]; streamSeq: number } | null,
  reload: () => void,
): ItemsAtSeq | null {
  const [list, setList] = useState<ItemsAtSeq | null>(null);
  // The ref is the store; the state only makes React render it. Events arrive outside React.
  const store = useRef<ItemsAtSeq | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Declared before useLiveEvents so a new list is in place before its events replay.
  useEffect(() => {
    store.current = fetched ? { items: fetched.items, seq: fetched.streamSeq } : null;
    setList(store.current);
  }, [fetched]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents(fetched?.streamSeq ?? null, (event) => {
    const current = store.current;
    if (!current) return;
    const applied = applyEvent(current, event);
    if (applied.refetch && timer.current === undefined) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        reload();
      }, REFETCH_DELAY_MS);
    }
    if (applied.seq === current.seq) return;
    store.current = { items: applied.items, seq: applied.seq };
    setList(store.current);
  });
  return list;
}
