import { useState } from 'react';
import { ApiFailure, post } from '../api/client';
import { useSession } from '../session/SessionProvider';

export type SteeringStep =
  { name: 'idle' } | { name: 'sending' } | { name: 'sent' } | { name: 'failed'; error: ApiFailure };

/**
 * One steering request of a work item (cancel, follow-up, retry, start, a budget answer): where it stands, and `send`,
 * which posts it with the session's CSRF token and says whether it was taken. Taken means on
 * the bus only: what it changes shows on the page when the live stream says so.
 */
export function useSteering(
  workItemId: string,
  action: 'cancel' | 'follow-ups' | 'retry' | 'start' | 'budget',
) {
  const { session } = useSession();
  const [step, setStep] = useState<SteeringStep>({ name: 'idle' });
  const path = `/api/work-items/${encodeURIComponent(workItemId)}/${action}`;

  const send = async (body: Record<string, unknown> = {}): Promise<boolean> => {
    setStep({ name: 'sending' });
    try {
      await post(path, session.csrfToken, body);
      setStep({ name: 'sent' });
      return true;
    } catch (err) {
      const error = err instanceof ApiFailure ? err : new ApiFailure(path, 0, String(err));
      setStep({ name: 'failed', error });
      return false;
    }
  };

  return { step, send, reset: () => setStep({ name: 'idle' }) };
}
