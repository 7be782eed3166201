import { useState } from 'react';
import { roles, type Role, type SessionView, type WorkItemView } from '../../../src/shared/console-api';
import { ApiFailure, post } from '../api/client';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';

/** States a cancellation cannot change: the button is not offered there. */
const SETTLED = new Set<WorkItemView['state']>(['merged', 'done', 'failed', 'cancelled', 'timed_out']);

/** The person's role in `repo` (their grant for it or for `*`): what the backend checks too. */
export function roleIn(session: SessionView, repo: string): Role | null {
  const ranks = session.grants
    .filter((g) => g.repo === repo || g.repo === '*')
    .map((g) => roles.indexOf(g.role));
  return ranks.length ? roles[Math.max(...ranks)]! : null;
}

type Step =
  | { name: 'idle' }
  | { name: 'confirming' }
  | { name: 'sending' }
  | { name: 'sent' }
  | { name: 'failed'; error: ApiFailure };

/**
 * Cancel for members of the item's repository (viewers do not see it), behind a confirmation.
 * The request only asks: the item's state changes when the orchestrator takes it, which the
 * page shows live.
 */
export function CancelButton({ item }: { item: Pick<WorkItemView, 'id' | 'repo' | 'state' | 'title'> }) {
  const { session } = useSession();
  const [step, setStep] = useState<Step>({ name: 'idle' });
  const role = roleIn(session, item.repo);
  if (!role || roles.indexOf(role) < roles.indexOf('member') || SETTLED.has(item.state)) return null;

  const cancel = async () => {
    setStep({ name: 'sending' });
    try {
      await post(`/api/work-items/${encodeURIComponent(item.id)}/cancel`, session.csrfToken, {});
      setStep({ name: 'sent' });
    } catch (err) {
      const error = err instanceof ApiFailure ? err : new ApiFailure('cancel', 0, String(err));
      setStep({ name: 'failed', error });
    }
  };

  return (
    <div className="steering">
      {step.name === 'confirming' || step.name === 'sending' ? (
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
          <button type="button" disabled={step.name === 'sending'} onClick={() => setStep({ name: 'idle' })}>
            Keep it
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="danger"
          disabled={step.name === 'sent'}
          onClick={() => setStep({ name: 'confirming' })}
        >
          Cancel work item
        </button>
      )}
      {step.name === 'sent' && (
        <p role="status">Cancellation requested; the state changes here once Horizon has taken it.</p>
      )}
      {step.name === 'failed' && (
        <ErrorNotice what="Cancelling" error={step.error} onRetry={() => setStep({ name: 'confirming' })} />
      )}
    </div>
  );
}
