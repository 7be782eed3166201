import type { FleetChildState, FleetView } from '../../../src/shared/console-api';

/** The order the counts are read in: done first, then what is moving, then what went wrong. */
const ORDER: FleetChildState[] = [
  'merged',
  'in_review',
  'not_applicable',
  'running',
  'queued',
  'pending',
  'failed',
  'cancelled',
];
const LABEL: Record<FleetChildState, string> = {
  merged: 'merged',
  in_review: 'in review',
  not_applicable: 'nothing to change',
  running: 'running',
  queued: 'queued',
  pending: 'not started',
  failed: 'failed',
  cancelled: 'cancelled',
};
/** The work item state whose badge colour a fleet state takes (styles.css `.badge.state-*`). */
const BADGE_STATE: Record<FleetChildState, string> = {
  pending: 'queued',
  queued: 'queued',
  running: 'running',
  in_review: 'in_review',
  merged: 'merged',
  not_applicable: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** "1 repository", "3 repositories". */
export const repositories = (n: number): string => `${n} ${n === 1 ? 'repository' : 'repositories'}`;

export const badgeClass = (state: FleetChildState) => `badge state-${BADGE_STATE[state]}`;

/** Children whose run ended one way or another. */
const ENDED: FleetChildState[] = ['merged', 'in_review', 'not_applicable', 'failed', 'cancelled'];

export function endedCount(fleet: FleetView): number {
  return ENDED.reduce((n, s) => n + (fleet.progress.counts[s] ?? 0), 0);
}

function eta(seconds: number | null): string | null {
  if (seconds === null || seconds === 0) return null;
  if (seconds < 90) return `about ${seconds} s left`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** A fleet's progress: a bar of the children that ended, the counts by state, runs in flight and the ETA. */
export function FleetProgress({ fleet }: { fleet: FleetView }) {
  const { total, counts, inFlight, etaSeconds } = fleet.progress;
  const ended = endedCount(fleet);
  const left = fleet.state === 'running' ? eta(etaSeconds) : null;
  return (
    <div className="fleet-progress">
      <progress max={total} value={ended} aria-label={`${ended} of ${total} repositories done`} />
      <span className="muted">
        {ended} of {total} done · {inFlight} running now{left ? ` · ${left}` : ''}
      </span>
      <ul className="fleet-counts" aria-label="Repositories by state">
        {ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
          <li key={s}>
            <span className={badgeClass(s)}>{LABEL[s]}</span> {counts[s]}
          </li>
        ))}
      </ul>
    </div>
  );
}
