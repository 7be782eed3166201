import { Link } from 'react-router';
import type { PullRequestPage } from '../../../src/shared/console-api';
import { Markdown } from '../markdown/Markdown';
import { formatTime } from '../workitem/format';

const reviewText = {
  approved: 'approved',
  changes_requested: 'requested changes',
  commented: 'commented',
} as const;

/** What a reviewer weighs before the code: the checks, the work item, what others said. */
export function Evidence({ page }: { page: PullRequestPage }) {
  const { checkRuns, reviews, comments, workItem } = page;
  const conversation = comments.filter((c) => c.path === null);
  const lineComments = comments.filter((c) => c.path !== null);
  return (
    <>
      <section aria-labelledby="checks-title">
        <h2 id="checks-title">Checks</h2>
        {checkRuns.length === 0 ? (
          <p>No check runs on this head yet: nothing has verified this commit.</p>
        ) : (
          <ul className="checks">
            {checkRuns.map((c) => (
              <li key={c.id} className={`check check-${c.conclusion}`}>
                <span className={`badge verification-${c.conclusion === 'success' ? 'passed' : 'failed'}`}>
                  {c.conclusion === 'success' ? 'passed' : 'failed'}
                </span>{' '}
                <strong>{c.name}</strong>
                {c.summary && <Markdown className="check-summary" text={c.summary} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="work-title">
        <h2 id="work-title">Work item</h2>
        {workItem ? (
          <p>
            <Link to={`/work/${workItem.id}`}>{workItem.title}</Link>{' '}
            <span className={`badge state-${workItem.state}`}>{workItem.state}</span>
            {workItem.state === 'revising' && (
              <span className="hint">
                {' '}
                A revise run is answering the requested changes; this page shows its push when it ends.
              </span>
            )}
          </p>
        ) : (
          <p>No work item names this pull request or its branch.</p>
        )}
      </section>
      <section aria-labelledby="reviews-title">
        <h2 id="reviews-title">Reviews</h2>
        {reviews.length === 0 ? (
          <p>No reviews yet.</p>
        ) : (
          <ul className="reviews">
            {reviews.map((r) => (
              <li key={r.id}>
                <strong>{r.author}</strong> <span className={`review-${r.state}`}>{reviewText[r.state]}</span>{' '}
                <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
                {r.body && <Markdown className="review-body" text={r.body} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      {(conversation.length > 0 || lineComments.length > 0) && (
        <section aria-labelledby="comments-title">
          <h2 id="comments-title">Comments</h2>
          <ul className="comments">
            {[...conversation, ...lineComments].map((c) => (
              <li key={c.id}>
                <strong>{c.author}</strong>
                {c.path && (
                  <>
                    {' '}
                    on <code>{c.line ? `${c.path}:${c.line}` : c.path}</code>
                  </>
                )}
                :{' '}
                {/* Horizon's own comments are markdown (a revision's summary, its browser check's links). */}
                <Markdown className="comment-body" text={c.body} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
