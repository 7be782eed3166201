import { RETRYABLE_STATES, type WorkItemView } from '../../../src/shared/console-api';
import { useMemberOf } from '../session/roles';
import { ErrorNotice } from '../shell/ErrorNotice';
import { useSteering } from './useSteering';

/**
 * Retry for members when the item ended without its work done (failed, cancelled, timed out):
 * Horizon queues it again and starts a new run. The button goes once the live stream says the
 * item moved on; a refusal says why.
 */
export function RetryButton({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state'> }) {
  const member = useMemberOf(item.repo);
  const { step, send } = useSteering(item.id, 'retry');
  if (!member || !RETRYABLE_STATES.includes(item.state)) return null;

  return (
    <div className="steering">
      <button
        type="button"
        className="primary"
        disabled={step.name === 'sending' || step.name === 'sent'}
        aria-describedby="retry-what"
        onClick={() => void send()}
      >
        {step.name === 'sending' ? 'Retrying…' : 'Retry'}
      </button>{' '}
      <span id="retry-what" className="muted">
        It is {item.state.replace('_', ' ')}: a retry queues it again and starts a new run.
      </span>
      {step.name === 'sent' && (
        <p role="status">
          Retry requested; the item is queued again and a new run starts once Horizon has taken it.
        </p>
      )}
      {step.name === 'failed' && (
        <ErrorNotice what="Retrying" error={step.error} onRetry={() => void send()} />
      )}
    </div>
  );
}
