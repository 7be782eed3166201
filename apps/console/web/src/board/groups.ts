import type { BoardItem } from '../../../src/shared/console-api';

type State = BoardItem['state'];

/** The board's columns, left to right; every state belongs to exactly one. */
export const stateGroups = [
  { id: 'backlog', label: 'Backlog', states: ['received', 'planned', 'blocked'] },
  { id: 'queued', label: 'Queued', states: ['queued', 'provisioning'] },
  // A run held at its budget is still work in flight: it waits in its column with its own badge.
  { id: 'working', label: 'Working', states: ['running', 'verifying', 'revising', 'waiting'] },
  { id: 'review', label: 'In review', states: ['in_review'] },
  { id: 'done', label: 'Done', states: ['merged', 'done'] },
  { id: 'stopped', label: 'Stopped', states: ['failed', 'cancelled', 'timed_out'] },
] as const satisfies readonly { id: string; label: string; states: readonly State[] }[];

export type GroupId = (typeof stateGroups)[number]['id'];

export const allStates: State[] = stateGroups.flatMap((g) => [...g.states]);
export const allKinds: BoardItem['kind'][] = [
  'plan',
  'implement',
  'revise',
  'retro',
  'fleet_child',
  'review',
];

const groupOfState = new Map<State, GroupId>(
  stateGroups.flatMap((g) => g.states.map((s) => [s, g.id] as [State, GroupId])),
);

export function groupOf(state: State): GroupId {
  return groupOfState.get(state) ?? 'backlog';
}

/** Items per column, in the order they came (the backend answers newest first). */
export function groupItems(items: readonly BoardItem[]): Record<GroupId, BoardItem[]> {
  const groups = Object.fromEntries(stateGroups.map((g) => [g.id, [] as BoardItem[]])) as Record<
    GroupId,
    BoardItem[]
  >;
  for (const item of items) groups[groupOf(item.state)].push(item);
  return groups;
}

/** The board's filters, as they appear in the URL query. */
export interface BoardFilters {
  state?: string;
  kind?: string;
  repo?: string;
  owner?: string;
  label?: string;
}

export const filterKeys = ['state', 'kind', 'repo', 'owner', 'label'] as const;

/**
 * The backend filters the list it answers; the board filters again because live events move
 * items into states (or runs) the filters exclude.
 */
export function matchesFilters(item: BoardItem, f: BoardFilters): boolean {
  return (
    (!f.state || item.state === f.state) &&
    (!f.kind || item.kind === f.kind) &&
    (!f.repo || item.repo === f.repo) &&
    (!f.owner || item.ownerId === f.owner) &&
    (!f.label || item.labels.includes(f.label))
  );
}
