import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { FleetChildView, FleetDetailView } from '../../../src/shared/console-api';
import { ApiFailure, post } from '../api/client';
import { useResource } from '../api/useResource';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';
import { tokens } from '../usage/format';
import { badgeClass, FleetProgress, repositories } from './FleetProgress';

/**
 * How often a running fleet's page asks again. The live stream carries work items, not fleets'
 * aggregated rows, so the page re-reads the fleet while it runs and stops once it has ended.
 */
const REFRESH_MS = 3000;
const RETRYABLE: FleetChildView['state'][] = ['failed', 'cancelled'];

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** A local-forge PR opens in the console; one on GitHub opens there. */
function PullRequestLink({ child }: { child: FleetChildView }) {
  const pr = child.pullRequest;
  if (!pr) return <>—</>;
  if (pr.url?.startsWith('https://github.com/'))
    return (
      <a href={pr.url} target="_blank" rel="noreferrer">
        #{pr.number}
      </a>
    );
  return <Link to={`/pulls/${child.repo}/${pr.number}`}>#{pr.number}</Link>;
}

/** `/fleets/:id`: progress, the results table, and Cancel / Retry failed for members of every repository. */
export function FleetPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const view = useResource<FleetDetailView>(`/api/fleets/${id}`);
  const [failure, setFailure] = useState<{ what: string; error: ApiFailure } | null>(null);
  const [busy, setBusy] = useState(false);
  const running = view.status === 'ready' && view.data.fleet.state === 'running';
  const { reload } = view;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);

  if (view.status === 'loading') return <p className="page-status">Loading the fleet…</p>;
  if (view.status === 'error')
    return <ErrorNotice what="Loading the fleet" error={view.error} onRetry={view.reload} />;
  const { fleet, children, hidden, mayChange } = view.data;
  const retryable = children.filter((c) => RETRYABLE.includes(c.state)).length;

  const act = (what: string, path: string, question: string) => {
    if (!window.confirm(question)) return;
    setFailure(null);
    setBusy(true);
    post(path, session.csrfToken, {})
      .then(reload)
      .catch((err: unknown) =>
        setFailure({ what, error: err instanceof ApiFailure ? err : new ApiFailure(path, 0, String(err)) }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="page fleet-page" aria-labelledby="fleet-title">
      <p>
        <Link to="/fleets">← Fleets</Link>
      </p>
      <h1 id="fleet-title">{fleet.title}</h1>
      <p className="muted">
        {fleet.state} · at most {fleet.cap} at once · priority {fleet.priority} · by {fleet.createdBy}
        {fleet.verify ? ` · verified with ${fleet.verify.join(', ')}` : ''}
      </p>
      <FleetProgress fleet={fleet} />
      {failure && <ErrorNotice what={failure.what} error={failure.error} />}
      <div className="actions">
        <button
          type="button"
          disabled={!mayChange || busy || fleet.state !== 'running'}
          title={mayChange ? undefined : 'Needs the member role in every repository of the fleet'}
          onClick={() =>
            act(
              'Cancelling the fleet',
              `/api/fleets/${fleet.id}/cancel`,
              `Cancel "${fleet.title}"? Runs in flight stop; repositories not started never are.`,
            )
          }
        >
          Cancel fleet
        </button>
        <button
          type="button"
          disabled={!mayChange || busy || retryable === 0}
          title={mayChange ? undefined : 'Needs the member role in every repository of the fleet'}
          onClick={() =>
            act(
              'Retrying the fleet',
              `/api/fleets/${fleet.id}/retry`,
              `Retry the failed or cancelled runs in ${repositories(retryable)}?`,
            )
          }
        >
          Retry failed ({retryable})
        </button>
        <a className="button" href={`/api/fleets/${fleet.id}/results.csv`} download>
          Export CSV
        </a>
      </div>
      <details>
        <summary>What each run is asked</summary>
        <p className="plan-text">{fleet.prompt}</p>
      </details>
      <table>
        <caption className="muted">
          {repositories(children.length)}
          {hidden > 0 ? ` (${hidden} more in repositories you may not see)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">State</th>
            <th scope="col">Pull request</th>
            <th scope="col">Verification</th>
            <th scope="col">Duration</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {children.map((c) => (
            <tr key={c.repo}>
              <th scope="row">
                <Link to={`/work/${c.workItemId}`}>{c.repo}</Link>
              </th>
              <td>
                <span className={badgeClass(c.state)}>{c.state.replace('_', ' ')}</span>
                {c.reason && <div className="muted">{c.reason}</div>}
              </td>
              <td>
                <PullRequestLink child={c} />
              </td>
              <td>{c.verification ?? '—'}</td>
              <td>{duration(c.durationMs)}</td>
              <td>{tokens(c.inputTokens + c.outputTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
