import { Link, useParams } from 'react-router';
import { runInFlight, type WorkItemDetail } from '../../../src/shared/console-api';
import { ErrorNotice } from '../shell/ErrorNotice';
import { BudgetAnswer } from './BudgetAnswer';
import { CancelButton } from './CancelButton';
import { ItemUsage } from './ItemUsage';
import { Description } from './Description';
import { FollowUpBox } from './FollowUpBox';
import { RetryButton } from './RetryButton';
import { Runs } from './Runs';
import { StartButton } from './StartButton';
import { Timeline } from './Timeline';
import { useWorkItem } from './useWorkItem';

interface SourceRefs {
  trackerIssue?: { identifier?: string; url?: string };
  pullRequest?: {
    provider: 'github' | 'local';
    repo?: { owner: string; name: string };
    number: number;
    url?: string;
  };
  slackThread?: { channel: string; threadTs: string };
  webhookTrigger?: { name: string; deliveryId: string };
  schedule?: { name: string; tickAt: string };
}

const tickTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A local forge pull request's page in the console; a GitHub one's address on GitHub. */
function PullRequestLink({ pr, repo }: { pr: NonNullable<SourceRefs['pullRequest']>; repo: string }) {
  const label = `Pull request #${pr.number}`;
  if (pr.provider === 'local') {
    const where = pr.repo?.owner && pr.repo.name ? `${pr.repo.owner}/${pr.repo.name}` : repo;
    return <Link to={`/pulls/${where}/${pr.number}`}>{label}</Link>;
  }
  if (!pr.url) return <>{label}</>;
  return (
    <a href={pr.url} target="_blank" rel="noreferrer">
      {label}
    </a>
  );
}

function SourceLinks({ refs, repo }: { refs: SourceRefs; repo: string }) {
  const links = [
    refs.trackerIssue && {
      label: `Issue ${refs.trackerIssue.identifier ?? ''}`.trim(),
      url: refs.trackerIssue.url,
    },
    refs.slackThread && { label: `Slack thread in ${refs.slackThread.channel}`, url: undefined },
    refs.webhookTrigger && {
      label: `Webhook trigger ${refs.webhookTrigger.name}, delivery ${refs.webhookTrigger.deliveryId}`,
      url: undefined,
    },
    refs.schedule && {
      label: `Schedule ${refs.schedule.name}, tick of ${tickTime(refs.schedule.tickAt)}`,
      url: undefined,
    },
  ].filter((l): l is { label: string; url: string | undefined } => Boolean(l));
  if (links.length === 0 && !refs.pullRequest) return null;
  return (
    <section aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <ul>
        {refs.pullRequest && (
          <li>
            <PullRequestLink pr={refs.pullRequest} repo={repo} />
          </li>
        )}
        {links.map((l) => (
          <li key={l.label}>
            {l.url ? (
              <a href={l.url} target="_blank" rel="noreferrer">
                {l.label}
              </a>
            ) : (
              l.label
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemLinks({ title, ids }: { title: string; ids: string[] }) {
  if (ids.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <Link to={`/work/${id}`}>{id.slice(0, 8)}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function WorkItemView({ item }: { item: WorkItemDetail }) {
  const graphLink = item.kind === 'plan' ? item.id : item.parentId;
  return (
    <article className="page work-item" aria-labelledby="item-title">
      <header>
        <h1 id="item-title">{item.title}</h1>
        <dl className="facts">
          <dt>State</dt>
          <dd>
            <span className={`badge state-${item.state}`}>{item.state}</span>
          </dd>
          <dt>Kind</dt>
          <dd>{item.kind}</dd>
          <dt>Repository</dt>
          <dd>{item.repo}</dd>
          <dt>Owner</dt>
          <dd>{item.ownerId ?? 'none'}</dd>
          <ItemUsage workItemId={item.id} version={item.state} />
          {item.labels.length > 0 && (
            <>
              <dt>Labels</dt>
              <dd>{item.labels.join(', ')}</dd>
            </>
          )}
        </dl>
        {graphLink && <Link to={`/graph?parentId=${graphLink}`}>See the plan's graph</Link>}
        <BudgetAnswer item={item} />
        <StartButton item={item} />
        <CancelButton item={item} />
        <RetryButton item={item} />
      </header>
      <FollowUpBox item={item} running={runInFlight(item.runs)} />
      <Description text={item.description} />
      {(item.blockedBy.length > 0 || item.blocks.length > 0) && (
        <section aria-labelledby="deps-title">
          <h2 id="deps-title">Dependencies</h2>
          <ItemLinks title="Blocked by" ids={item.blockedBy} />
          <ItemLinks title="Blocks" ids={item.blocks} />
        </section>
      )}
      <SourceLinks refs={item.sourceRefs as SourceRefs} repo={item.repo} />
      <Runs runs={item.runs} />
      <Timeline entries={item.timeline} />
    </article>
  );
}

export function WorkItemPage() {
  const { id = '' } = useParams();
  const state = useWorkItem(id);
  if (state.status === 'loading') return <p className="page-status">Loading the work item…</p>;
  if (state.status === 'error') {
    return <ErrorNotice what="Loading this work item" error={state.error} onRetry={state.retry} />;
  }
  return <WorkItemView item={state.workItem} />;
}
