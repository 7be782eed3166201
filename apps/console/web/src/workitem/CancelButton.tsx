import { useState } from 'react';
import type { WorkItemView } from '../../../src/shared/console-api';
import { useMemberOf } from '../session/roles';
import { ErrorNotice } from '../shell/ErrorNotice';
import { useSteering } from './useSteering';

/** States a cancellation cannot change: the button is not offered there. */
const SETTLED = new Set<WorkItemView['state']>(['merged', 'done', 'failed', 'cancelled', 'timed_out']);

/**
 * Cancel for members of the item's repository (viewers do not see it), behind a confirmation.
 * The request only asks: the item's state changes when the orchestrator takes it, which the
 * page shows live.
 */
export function CancelButton({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state' | 'title'> }) {
  const member = useMemberOf(item.repo);
  const { step, send, reset } = useSteering(item.id, 'cancel');
  const [confirming, setConfirming] = useState(false);
  if (!member || SETTLED.has(item.state)) return null;

  const cancel = async () => {
    await send();
    setConfirming(false);
  };

  return (
    <div className="steering">
      {confirming ? (
        <div role="dialog" aria-labelledby="cancel-title" aria-describedby="cancel-what" className="confirm">
          <p id="cancel-title">
            <strong>Cancel this work item?</strong>
          </p>
          <p id="cancel-what">
            “{item.title}” stops: a run in flight ends and its sandbox is stopped. It cannot be resumed.
          </p>
          <button type="button" className="danger" disabled={step.name === 'sending'} onClick={cancel}>
            {step.name === 'sending' ? 'Cancelling…' : 'Yes, cancel it'}
          </button>{' '}
          <button type="button" disabled={step.name === 'sending'} onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="danger"
          disabled={step.name === 'sent'}
          onClick={() => setConfirming(true)}
        >
          Cancel work item
        </button>
      )}
      {step.name === 'sent' && (
        <p role="status">Cancellation requested; the state changes here once Horizon has taken it.</p>
      )}
      {step.name === 'failed' && (
        <ErrorNotice
          what="Cancelling"
          error={step.error}
          onRetry={() => {
            reset();
            setConfirming(true);
          }}
        />
      )}
    </div>
  );
}
