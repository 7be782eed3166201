import { useLiveStatus, type LiveStatus } from '../live/LiveEvents';

const labels: Record<LiveStatus, string> = {
  idle: 'Not live',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline — reload the page',
};

export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live-indicator live-${status}`} role="status" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
