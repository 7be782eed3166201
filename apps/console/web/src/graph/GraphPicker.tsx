import { useMemo, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { BoardView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { ErrorNotice } from '../shell/ErrorNotice';

/** Without a plan or repository in the URL: pick one. Plans are items of kind `plan`. */
export function GraphPicker() {
  const plans = useResource<BoardView>('/api/work-items?kind=plan');
  const navigate = useNavigate();
  const items = useMemo(() => (plans.status === 'ready' ? plans.data.items : []), [plans]);
  const repos = useMemo(() => [...new Set(items.map((p) => p.repo))].sort(), [items]);

  const onRepo = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const repo = String(new FormData(e.currentTarget).get('repo') ?? '').trim();
    if (repo) navigate(`/graph?repo=${encodeURIComponent(repo)}`);
  };

  return (
    <section className="page" aria-labelledby="graph-title">
      <h1 id="graph-title">Graph</h1>
      <p>Pick a plan to see how its items depend on each other, or a repository to see all of its work.</p>
      <h2>Plans</h2>
      {plans.status === 'loading' && <p className="page-status">Loading plans…</p>}
      {plans.status === 'error' && (
        <ErrorNotice what="Loading plans" error={plans.error} onRetry={plans.reload} />
      )}
      {plans.status === 'ready' && items.length === 0 && (
        <p className="muted">
          No plans yet: a plan appears when Horizon plans a project from Linear or Slack.
        </p>
      )}
      <ul className="picker">
        {items.map((plan) => (
          <li key={plan.id}>
            <Link to={`/graph?parentId=${plan.id}`}>{plan.title}</Link>{' '}
            <span className="muted">{plan.repo}</span>
          </li>
        ))}
      </ul>
      <h2>Repositories</h2>
      <form className="toolbar" onSubmit={onRepo} aria-label="Graph of a repository">
        <label>
          Repository
          <input name="repo" placeholder="owner/name" list="graph-repos" required />
          <datalist id="graph-repos">
            {repos.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <button type="submit">Show graph</button>
      </form>
    </section>
  );
}
