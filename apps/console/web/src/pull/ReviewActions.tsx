import { useState } from 'react';
import type { PullRequestPage, ReviewRequest } from '../../../src/shared/console-api';
import { ApiFailure, post } from '../api/client';
import { useSession } from '../session/SessionProvider';

type Action = 'approve' | 'request-changes' | 'merge';

const doing: Record<Action, string> = {
  approve: 'Approving',
  'request-changes': 'Requesting changes',
  merge: 'Merging',
};

function advice(error: ApiFailure): string {
  if (error.status === 0) return 'Check that the console backend is running (npm start), then try again.';
  if (error.status === 401)
    return 'Your session ended: run `npm run -s horizon -- console link` and open the link it prints.';
  if (error.status === 403) return 'Ask an admin of the repository for the member role.';
  if (error.status === 503) return 'Start the local forge (npm start starts it), then try again.';
  return 'The page has been read again; do what the message says, then try again.';
}

/**
 * Approve, request changes (a comment is required: it is what the revise run is asked to do),
 * merge. Members and admins only; each button is disabled while any action is in flight, and
 * the page is read again after every action, whether it worked or not.
 */
export function ReviewActions({ page, onDone }: { page: PullRequestPage; onDone: () => void }) {
  const { session } = useSession();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [failure, setFailure] = useState<{ action: Action; error: ApiFailure } | null>(null);
  const pr = page.pullRequest;
  const base = `/api/pulls/${page.repo}/${pr.number}`;

  if (page.role === 'viewer')
    return (
      <p className="actions-note">
        You are a viewer of {page.repo}: reviewing and merging need the member role.
      </p>
    );
  if (pr.state !== 'open')
    return <p className="actions-note">{pr.merged ? `Merged by ${pr.mergedBy ?? 'someone'}.` : 'Closed.'}</p>;

  async function act(action: Action, path: string, body: unknown) {
    setBusy(action);
    setFailure(null);
    try {
      await post(path, session.csrfToken, body);
      if (action !== 'merge') setComment('');
    } catch (err) {
      setFailure({ action, error: err instanceof ApiFailure ? err : new ApiFailure(path, 0, String(err)) });
    } finally {
      setBusy(null);
      onDone();
    }
  }

  const review = (action: Action, event: ReviewRequest['event']) =>
    act(action, `${base}/reviews`, { event, ...(comment.trim() ? { body: comment.trim() } : {}) });
  const text = comment.trim();
  // Merging now would merge the head the reviewer asked to change, before the answer is pushed.
  const revising = page.workItem?.state === 'revising';
  const mergeOff = !pr.mergeable
    ? pr.mergeableReason
    : revising
      ? 'a revise run is answering the requested changes; merge once it has pushed'
      : null;

  return (
    <section aria-labelledby="actions-title" className="review-actions">
      <h2 id="actions-title">Your review</h2>
      <label htmlFor="review-comment">Comment (required to request changes)</label>
      <textarea
        id="review-comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={4}
        aria-describedby="review-comment-hint"
      />
      <p id="review-comment-hint" className="hint">
        A request for changes starts a revise run with this comment as its brief.
      </p>
      <div className="action-buttons">
        <button type="button" disabled={busy !== null} onClick={() => void review('approve', 'APPROVE')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button
          type="button"
          disabled={busy !== null || !text}
          onClick={() => void review('request-changes', 'REQUEST_CHANGES')}
        >
          {busy === 'request-changes' ? 'Requesting changes…' : 'Request changes'}
        </button>
        <button
          type="button"
          disabled={busy !== null || !pr.mergeable || revising}
          onClick={() => void act('merge', `${base}/merge`, { sha: pr.headSha })}
        >
          {busy === 'merge' ? 'Merging…' : 'Merge'}
        </button>
      </div>
      {mergeOff && <p className="hint">Merge is off: {mergeOff}.</p>}
      {failure && (
        <div role="alert" className="error-notice">
          <p>
            <strong>{doing[failure.action]} failed:</strong> {failure.error.message}
          </p>
          <p>{advice(failure.error)}</p>
        </div>
      )}
    </section>
  );
}
