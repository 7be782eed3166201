import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { RetroStarted } from '../../../src/shared/console-api';
import { ApiFailure, postJson } from '../api/client';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';

/**
 * Starts a retro on a repository over the papercuts of the days shown, and opens its work item,
 * where its proposals appear as planned items once its run has answered.
 */
export function StartRetroButton({ repo, days }: { repo: string; days: number }) {
  const { session } = useSession();
  const navigate = useNavigate();
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const start = () => {
    setFailure(null);
    setSending(true);
    postJson<RetroStarted>('/api/retros', session.csrfToken, { repo, days })
      .then((retro) => navigate(`/work/${retro.workItemId}`))
      .catch((err: unknown) =>
        setFailure(err instanceof ApiFailure ? err : new ApiFailure('/api/retros', 0, String(err))),
      )
      .finally(() => setSending(false));
  };

  return (
    <>
      <button type="button" onClick={start} disabled={sending} aria-label={`Start a retro on ${repo}`}>
        {sending ? 'Starting…' : 'Start a retro'}
      </button>
      {failure && <ErrorNotice what={`Starting a retro on ${repo}`} error={failure} />}
    </>
  );
}
