/** A run waiting for capacity (`Run` rows of work items in `queued`). */
export interface PendingRun {
  readonly runId: string;
  readonly workItemId: string;
  /** `owner/name` */
  readonly repo: string;
  /** The human the work is attributed to; runs without one count only against the global and repo limits. */
  readonly ownerId: string | null;
  /** 0 is the most urgent, 9 the least. */
  readonly priority: number;
  readonly enqueuedAt: Date;
  /** Back-off after a failed attempt: the run may not start before this instant. */
  readonly notBefore?: Date | null;
  /** A group with a cap of its own (a fleet): at most `cap` of its runs hold capacity at once. */
  readonly group?: RunGroup | null;
}

export interface RunGroup {
  readonly key: string;
  readonly cap: number;
}

/** A run that holds capacity (its work item is provisioning, running, verifying or revising). */
export interface ActiveRun {
  readonly runId: string;
  readonly workItemId: string;
  readonly repo: string;
  readonly ownerId: string | null;
  /** The group's key (a fleet id), when it belongs to one. */
  readonly group?: string | null;
}

export interface ConcurrencyLimits {
  readonly global: number;
  readonly perRepo: number;
  readonly perOwner: number;
  /** Per-repo exceptions to `perRepo`, by `owner/name`. */
  readonly repos?: Readonly<Record<string, number>>;
  /** Per-owner exceptions to `perOwner`, by owner id. */
  readonly owners?: Readonly<Record<string, number>>;
}

export function isValidPriority(priority: number): boolean {
  return Number.isInteger(priority) && priority >= 0 && priority <= 9;
}

/** Most urgent first; first come, first served within a priority (stable for equal times). */
export function byUrgency(a: PendingRun, b: PendingRun): number {
  return a.priority - b.priority || a.enqueuedAt.getTime() - b.enqueuedAt.getTime();
}

/**
 * The runs that may start now, in the order to start them. A run that does not fit (its repo
 * or owner is at its limit, its group (a fleet) at its cap, its back-off has not elapsed, its
 * work item already has a run in flight) is passed over without holding back the runs behind
 * it; the global limit stops the walk. Pure: the caller starts the runs, and takes them out of the queue when that committed.
 */
export function selectRunnable(
  pending: readonly PendingRun[],
  running: readonly ActiveRun[],
  limits: ConcurrencyLimits,
  now: Date,
): PendingRun[] {
  const perRepo = countBy(running, (r) => r.repo);
  const perOwner = countBy(running, (r) => r.ownerId);
  const perGroup = countBy(running, (r) => r.group ?? null);
  const busyItems = new Set(running.map((r) => r.workItemId));
  let total = running.length;
  const chosen: PendingRun[] = [];

  for (const run of [...pending].sort(byUrgency)) {
    if (total >= limits.global) break;
    if (run.notBefore && run.notBefore.getTime() > now.getTime()) continue;
    if (busyItems.has(run.workItemId)) continue;
    if ((perRepo.get(run.repo) ?? 0) >= (limits.repos?.[run.repo] ?? limits.perRepo)) continue;
    if (
      run.ownerId !== null &&
      (perOwner.get(run.ownerId) ?? 0) >= (limits.owners?.[run.ownerId] ?? limits.perOwner)
    ) {
      continue;
    }
    if (run.group && (perGroup.get(run.group.key) ?? 0) >= run.group.cap) continue;
    chosen.push(run);
    total += 1;
    busyItems.add(run.workItemId);
    perRepo.set(run.repo, (perRepo.get(run.repo) ?? 0) + 1);
    if (run.ownerId !== null) perOwner.set(run.ownerId, (perOwner.get(run.ownerId) ?? 0) + 1);
    if (run.group) perGroup.set(run.group.key, (perGroup.get(run.group.key) ?? 0) + 1);
  }
  return chosen;
}

/** The earliest back-off that has not elapsed yet: when `selectRunnable` may have more to give. */
export function nextNotBefore(pending: readonly PendingRun[], now: Date): Date | null {
  const waits = pending.map((r) => r.notBefore?.getTime() ?? 0).filter((t) => t > now.getTime());
  return waits.length > 0 ? new Date(Math.min(...waits)) : null;
}

/** The pending runs and the scheduling policy over them. */
export class RunQueue {
  private readonly runs = new Map<string, PendingRun>();

  constructor(
    readonly limits: ConcurrencyLimits,
    initial: Iterable<PendingRun> = [],
  ) {
    for (const run of initial) this.enqueue(run);
  }

  /** @throws RangeError for a priority outside 0…9 or a run id already queued. */
  enqueue(run: PendingRun): void {
    if (!isValidPriority(run.priority))
      throw new RangeError(`run ${run.runId}: priority ${run.priority} is not 0…9`);
    if (this.runs.has(run.runId)) throw new RangeError(`run ${run.runId} is already queued`);
    this.runs.set(run.runId, run);
  }

  remove(runId: string): boolean {
    return this.runs.delete(runId);
  }

  get size(): number {
    return this.runs.size;
  }

  /** Everything queued, most urgent first. */
  pending(): PendingRun[] {
    return [...this.runs.values()].sort(byUrgency);
  }

  /** The runs that may start now; the queue is unchanged (call `remove` once a start is committed). */
  next(running: readonly ActiveRun[], now: Date): PendingRun[] {
    return selectRunnable([...this.runs.values()], running, this.limits, now);
  }

  nextNotBefore(now: Date): Date | null {
    return nextNotBefore([...this.runs.values()], now);
  }
}

function countBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
