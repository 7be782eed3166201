import { useLiveStatus, type LiveStatus } from '../live/LiveEvents';

const labels: Record<Exclude<LiveStatus, 'idle'>, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline — reload the page',
};

/**
 * The work stream's state, shown only while a page follows it: a page with a stream of its own
 * (a plan) would otherwise read "Not live" while it is.
 */
export function LiveIndicator() {
  const status = useLiveStatus();
  if (status === 'idle') return null;
  return (
    <span className={`live-indicator live-${status}`} role="status" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
