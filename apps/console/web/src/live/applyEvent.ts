import type { BoardItem, LiveEvent } from '../../../src/shared/console-api';

/** A list of board items at a stream position: the board's and the graph's live store. */
export interface ItemsAtSeq {
  items: BoardItem[];
  /** The last event applied (or the position the list was read at): older events are ignored. */
  seq: number;
}

export interface Applied extends ItemsAtSeq {
  /** The event named an item this list does not hold (or a new one): read the list again. */
  refetch: boolean;
}

interface RunFinishedData {
  runId: string;
  workItemId: string;
  outcome: string;
  verification: { exitCode: number }[];
}

interface PullRequestRef {
  provider: 'github' | 'local';
  number: number;
  url?: string;
}

function verificationOf(checks: { exitCode: number }[]): 'passed' | 'failed' | 'none' {
  if (checks.length === 0) return 'none';
  return checks.every((c) => c.exitCode === 0) ? 'passed' : 'failed';
}

function updated(item: BoardItem, event: LiveEvent): BoardItem | null {
  const data = event.data;
  switch (event.subject) {
    case 'hzn.evt.workitem.state_changed': {
      const refs = (data.sourceRefs ?? {}) as { pullRequest?: PullRequestRef };
      const pr = refs.pullRequest;
      return {
        ...item,
        state: data.to as BoardItem['state'],
        stateEnteredAt: event.occurredAt,
        sourceRefs: (data.sourceRefs as BoardItem['sourceRefs']) ?? item.sourceRefs,
        pullRequest: pr
          ? { number: pr.number, url: pr.url ?? null, provider: pr.provider }
          : item.pullRequest,
      };
    }
    case 'hzn.evt.run.started':
      return { ...item, latestRun: { id: String(data.runId), outcome: null, verification: 'none' } };
    case 'hzn.evt.run.finished': {
      const run = data as unknown as RunFinishedData;
      return {
        ...item,
        latestRun: { id: run.runId, outcome: run.outcome, verification: verificationOf(run.verification) },
      };
    }
    default:
      return null;
  }
}

/**
 * Applies one live event to a list. Idempotent by sequence: an event at or before `seq` was
 * already applied (or already counted in the fetched list) and changes nothing.
 */
export function applyEvent(list: ItemsAtSeq, event: LiveEvent): Applied {
  if (event.seq <= list.seq) return { ...list, refetch: false };
  const seq = event.seq;
  if (event.subject === 'hzn.evt.workitem.created') return { items: list.items, seq, refetch: true };
  const id = event.data.workItemId;
  const index = list.items.findIndex((item) => item.id === id);
  if (index === -1) {
    // A state change of an item we do not hold may bring it into this (filtered) list.
    return { items: list.items, seq, refetch: event.subject === 'hzn.evt.workitem.state_changed' };
  }
  const next = updated(list.items[index], event);
  if (!next) return { items: list.items, seq, refetch: false };
  const items = list.items.slice();
  items[index] = next;
  return { items, seq, refetch: false };
}
