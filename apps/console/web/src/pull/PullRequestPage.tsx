import { useParams } from 'react-router';
import type { PullRequestPage as PullRequestData } from '../../../src/shared/console-api';
import { Markdown } from '../markdown/Markdown';
import { ErrorNotice } from '../shell/ErrorNotice';
import { DiffView } from './DiffView';
import { Evidence } from './Evidence';
import { ReviewActions } from './ReviewActions';
import { usePullRequest } from './usePullRequest';
import './pull.css';

function stateText(pr: PullRequestData['pullRequest']): string {
  if (pr.merged) return 'merged';
  return pr.state;
}

function PullRequestView({ page, reload }: { page: PullRequestData; reload: () => void }) {
  const pr = page.pullRequest;
  return (
    <article className="page pull-request" aria-labelledby="pr-title">
      <header>
        <h1 id="pr-title">
          {pr.title} <span className="pr-number">#{pr.number}</span>
        </h1>
        <dl className="facts">
          <dt>State</dt>
          <dd>
            <span className={`badge pr-${stateText(pr)}`}>{stateText(pr)}</span>
          </dd>
          <dt>Repository</dt>
          <dd>{page.repo}</dd>
          <dt>Branch</dt>
          <dd>
            <code>{pr.headRef}</code> → <code>{pr.baseRef}</code>
          </dd>
          <dt>Head</dt>
          <dd>
            <code>{pr.headSha.slice(0, 12)}</code>
          </dd>
          <dt>Author</dt>
          <dd>{pr.author}</dd>
          <dt>Approval</dt>
          <dd>
            {pr.approved
              ? `approved by ${pr.approvedBy.join(', ')}`
              : pr.changesRequestedBy.length
                ? `changes requested by ${pr.changesRequestedBy.join(', ')}`
                : 'not approved yet'}
          </dd>
          <dt>Mergeable</dt>
          <dd>{pr.mergeable ? 'yes' : `no${pr.mergeableReason ? `: ${pr.mergeableReason}` : ''}`}</dd>
        </dl>
      </header>
      <Evidence page={page} />
      {pr.body && (
        <section aria-labelledby="pr-body-title">
          <h2 id="pr-body-title">Description</h2>
          <Markdown className="pr-body" text={pr.body} />
        </section>
      )}
      <ReviewActions page={page} onDone={reload} />
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">Changes</h2>
        <DiffView diff={page.diff} comments={page.comments.filter((c) => c.path !== null)} />
      </section>
    </article>
  );
}

/**
 * `/pulls/:owner/:name/:number`: a local forge pull request, evidence first, then the diff; read
 * again whenever its work item moves.
 */
export function PullRequestPage() {
  const { owner = '', name = '', number = '' } = useParams();
  const path = `/api/pulls/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/${encodeURIComponent(number)}`;
  const resource = usePullRequest(path);
  if (resource.status === 'loading') return <p className="page-status">Loading the pull request…</p>;
  if (resource.status === 'error')
    return <ErrorNotice what="Loading this pull request" error={resource.error} onRetry={resource.reload} />;
  return <PullRequestView page={resource.data} reload={resource.reload} />;
}
