import { minimatch } from 'minimatch';
import { FLEET_SECTION_END, FLEET_SECTION_START, fleetChildStates } from '@horizon/contracts';
import type {
  FleetChildState,
  FleetChildView,
  FleetProgress,
  FleetSelector,
  FleetState,
  RunOutcome,
  WorkItemState,
} from '@horizon/contracts';

/** A fleet request that cannot be carried out as given; the message says what to change. */
export class InvalidFleetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFleetError';
  }
}

/**
 * The repositories a fleet covers, in fan-out order: a list as given (each once), or the known
 * repositories whose `owner/name` matches the glob, by name.
 * @throws InvalidFleetError for a repository listed twice or a glob that matches nothing.
 */
export function resolveFleetRepos(selector: FleetSelector, known: readonly string[]): string[] {
  if (selector.repos) {
    const seen = new Set<string>();
    for (const repo of selector.repos) {
      if (seen.has(repo)) throw new InvalidFleetError(`${repo} is listed twice; list each repository once`);
      seen.add(repo);
    }
    return [...selector.repos];
  }
  const glob = selector.glob as string;
  const matched = [...new Set(known)].filter((repo) => minimatch(repo, glob)).sort();
  if (matched.length === 0) {
    throw new InvalidFleetError(
      `the glob ${glob} matches none of the ${new Set(known).size} repositories Horizon knows; list the repositories instead`,
    );
  }
  return matched;
}

/** What the fleet needs to know of a child to place it. */
export interface ChildFacts {
  /** Null until the dispatcher recorded its work item. */
  readonly itemState: WorkItemState | null;
  /** Its latest run's outcome; null when none ended. */
  readonly lastOutcome: RunOutcome | null;
  /** The fleet was cancelled before this child was fanned out. */
  readonly fleetCancelled?: boolean;
}

const runningStates: readonly WorkItemState[] = ['provisioning', 'running', 'verifying', 'revising'];

/** A child's work item state, folded into what a fleet tells apart. */
export function childStateOf({ itemState, lastOutcome, fleetCancelled }: ChildFacts): FleetChildState {
  if (itemState === null) return fleetCancelled ? 'cancelled' : 'pending';
  if (runningStates.includes(itemState)) return 'running';
  switch (itemState) {
    case 'in_review':
      return 'in_review';
    case 'merged':
      return 'merged';
    case 'done':
      return lastOutcome === 'not_applicable' ? 'not_applicable' : 'merged';
    case 'failed':
    case 'timed_out':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'queued';
  }
}

/** The child states that are ended: retry or a review may change them, the fleet does not wait for them. */
export const endedChildStates: readonly FleetChildState[] = [
  'in_review',
  'merged',
  'not_applicable',
  'failed',
  'cancelled',
];

/** The states `retry` runs again. */
export const retriableChildStates: readonly FleetChildState[] = ['failed', 'cancelled'];

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * Counts by state, runs in flight, and the ETA: the children still to run go `cap` at a time,
 * each wave taking the median duration of the children that ended; the wave in flight is
 * counted as a whole one (a conservative estimate that needs no per-run start time).
 */
export function fleetProgress(
  children: readonly { state: FleetChildState; durationMs: number | null }[],
  cap: number,
  fleetState: FleetState,
): FleetProgress {
  const counts = Object.fromEntries(fleetChildStates.map((s) => [s, 0])) as Record<FleetChildState, number>;
  for (const child of children) counts[child.state] += 1;
  const ended = children.filter((c) => endedChildStates.includes(c.state));
  const medianChildMs = median(
    ended.map((c) => c.durationMs).filter((d): d is number => d !== null && d >= 0),
  );
  const remaining =
    fleetState === 'cancelled' ? counts.running : counts.pending + counts.queued + counts.running;
  const etaSeconds =
    remaining === 0
      ? 0
      : medianChildMs === null
        ? null
        : Math.ceil((Math.ceil(remaining / cap) * medianChildMs) / 1000);
  return { total: children.length, counts, inFlight: counts.running, medianChildMs, etaSeconds };
}

/** A fleet is over when no child waits or runs (a retry opens it again). */
export function fleetStateAfter(current: FleetState, progress: FleetProgress): FleetState {
  if (current === 'cancelled') return current;
  const open = progress.counts.pending + progress.counts.queued + progress.counts.running;
  return open === 0 ? 'finished' : 'running';
}

/** What the aggregate table reads about one child. */
export interface ChildRecord {
  readonly repo: string;
  readonly workItemId: string;
  readonly state: FleetChildState;
  readonly attempts: number;
  readonly failureReason: string | null;
  readonly pullRequest: { number: number; url: string | null } | null;
  readonly verification: readonly { exitCode: number }[] | null;
  readonly durationMs: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One row of the results table: why it failed or does not apply, and its verification in one word. */
export function aggregateChild(record: ChildRecord): FleetChildView {
  const explains =
    record.state === 'failed' || record.state === 'not_applicable' || record.state === 'cancelled';
  return {
    repo: record.repo,
    workItemId: record.workItemId,
    state: record.state,
    reason: explains ? record.failureReason : null,
    pullRequest: record.pullRequest,
    verification:
      record.verification === null
        ? null
        : record.verification.length === 0
          ? 'none'
          : record.verification.every((v) => v.exitCode === 0)
            ? 'passed'
            : 'failed',
    durationMs: record.durationMs,
    attempts: record.attempts,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
  };
}

/**
 * The part of a child's PR body that names its fleet and links the PRs its siblings opened so
 * far, between markers so the notifier can replace it as siblings open theirs.
 */
export function fleetSection(
  fleet: { id: string; title: string },
  self: string,
  siblings: readonly { repo: string; url: string | null; number: number }[],
): string {
  const others = siblings
    .filter((s) => s.repo !== self)
    .sort((a, b) => a.repo.localeCompare(b.repo))
    .map((s) => `- ${s.repo}: ${s.url ?? `#${s.number}`}`);
  return [
    FLEET_SECTION_START,
    `**Fleet** “${fleet.title}” (\`${fleet.id}\`): one of the pull requests of this change across repositories.`,
    others.length > 0 ? `\nLinked pull requests:\n${others.join('\n')}` : '\nNo sibling pull request yet.',
    FLEET_SECTION_END,
  ].join('\n');
}
