/**
 * A plan draft's proposed items and the rules every edit must keep: "blocked by" names
 * siblings only, never the item itself, and never closes a cycle (a cycle could never start).
 * Pure functions over the item list; the service stores the result under a version check.
 */
export interface PlanItem {
  /** A UUID made when the item is added; it becomes the work item's id when the plan starts. */
  id: string;
  title: string;
  description: string;
  /** One criterion per line. */
  acceptanceCriteria: string;
  /** Ids of sibling items that must finish before this one starts. */
  blockedBy: string[];
}

/** The most items a draft holds: the same bound a plan run's proposal has. */
export const MAX_PLAN_ITEMS = 25;

/** An edit that would break a rule: the API answers 400 with this message. */
export class PlanRuleBroken extends Error {}

export type ItemFields = Omit<PlanItem, 'id'>;

export type PlanEdit =
  | { kind: 'add_item'; item: ItemFields & { id: string } }
  | { kind: 'update_item'; itemId: string; changes: Partial<ItemFields> }
  | { kind: 'remove_item'; itemId: string };

/** The items after `edit`, checked; throws PlanRuleBroken when the result breaks a rule. */
export function applyEdit(items: readonly PlanItem[], edit: PlanEdit): PlanItem[] {
  let next: PlanItem[];
  switch (edit.kind) {
    case 'add_item':
      if (items.length >= MAX_PLAN_ITEMS)
        throw new PlanRuleBroken(`a plan holds at most ${MAX_PLAN_ITEMS} items`);
      next = [...items, { ...edit.item, blockedBy: unique(edit.item.blockedBy) }];
      break;
    case 'update_item':
      find(items, edit.itemId);
      next = items.map((i) =>
        i.id === edit.itemId
          ? {
              ...i,
              ...edit.changes,
              blockedBy: unique(edit.changes.blockedBy ?? i.blockedBy),
            }
          : i,
      );
      break;
    case 'remove_item':
      find(items, edit.itemId);
      // Its dependants are no longer blocked by it: an edge to nothing would be a dangling edge.
      next = items
        .filter((i) => i.id !== edit.itemId)
        .map((i) => ({ ...i, blockedBy: i.blockedBy.filter((b) => b !== edit.itemId) }));
      break;
  }
  checkItems(next);
  return next;
}

/** Throws PlanRuleBroken naming the first broken rule: a stranger, a self-edge, or a cycle. */
export function checkItems(items: readonly PlanItem[]): void {
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const item of items)
    for (const blocker of item.blockedBy) {
      if (blocker === item.id) throw new PlanRuleBroken(`"${item.title}" cannot be blocked by itself`);
      if (!byId.has(blocker))
        throw new PlanRuleBroken(`"${item.title}" is blocked by ${blocker}, which is not in this plan`);
    }
  const cycle = findCycle(items);
  if (cycle)
    throw new PlanRuleBroken(
      `that would make a cycle: ${cycle.map((id) => `"${byId.get(id)!.title}"`).join(' → ')}; nothing in it could ever start`,
    );
}

/**
 * A cycle of "blocked by" edges as item ids, first id repeated last (A blocked by B blocked by
 * A gives [A, B, A]), or null. Depth-first search with the path kept on a stack.
 */
export function findCycle(items: readonly PlanItem[]): string[] | null {
  const blockers = new Map(items.map((i) => [i.id, i.blockedBy]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of blockers.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const item of items) {
    const cycle = visit(item.id);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * The items with every blocker before the items it blocks (and otherwise in the draft's order):
 * the order starting publishes them in, so the orchestrator finds each blocker already recorded.
 */
export function blockersFirst(items: readonly PlanItem[]): PlanItem[] {
  const done = new Set<string>();
  const ordered: PlanItem[] = [];
  const byId = new Map(items.map((i) => [i.id, i]));
  const place = (item: PlanItem): void => {
    if (done.has(item.id)) return;
    done.add(item.id);
    for (const b of item.blockedBy) place(byId.get(b)!);
    ordered.push(item);
  };
  items.forEach(place);
  return ordered;
}

/** An issue the PM agent proposed: its key names it for `blockedBy` only. */
export interface ProposedIssue {
  key: string;
  title: string;
  description: string;
  acceptanceCriteria: string[];
  blockedBy: string[];
}

/**
 * A proposal as draft items, each with a new id (the agent's keys name nothing outside its
 * answer), its criteria one per line, and its "blocked by" keys as those ids. Checked like any
 * edit: the orchestrator refuses a cyclic proposal already, this is the draft's own rule.
 */
export function itemsFromProposal(issues: readonly ProposedIssue[], newId: () => string): PlanItem[] {
  if (issues.length > MAX_PLAN_ITEMS)
    throw new PlanRuleBroken(
      `the proposal has ${issues.length} items; a plan holds at most ${MAX_PLAN_ITEMS}`,
    );
  const ids = new Map(issues.map((issue) => [issue.key, newId()]));
  const items = issues.map((issue) => ({
    id: ids.get(issue.key)!,
    title: issue.title,
    description: issue.description,
    acceptanceCriteria: issue.acceptanceCriteria.join('\n'),
    blockedBy: unique(
      issue.blockedBy.map((key) => {
        const id = ids.get(key);
        if (!id)
          throw new PlanRuleBroken(`"${issue.title}" is blocked by ${key}, which the proposal does not have`);
        return id;
      }),
    ),
  }));
  checkItems(items);
  return items;
}

function find(items: readonly PlanItem[], id: string): PlanItem {
  const item = items.find((i) => i.id === id);
  if (!item) throw new PlanRuleBroken(`this plan has no item ${id}; it may have been removed meanwhile`);
  return item;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
