import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { PlanDraftView, PlanListView } from '../../../src/shared/console-api';
import { ApiFailure } from '../api/client';
import { useResource } from '../api/useResource';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';
import { sendPlan } from './planApi';

/** `/plans`: the drafts this person may see, and a form to start a new one. */
export function PlansPage() {
  const list = useResource<PlanListView>('/api/plans');
  return (
    <section className="page plans-page" aria-labelledby="plans-title">
      <h1 id="plans-title">Plans</h1>
      <p className="muted">Shape a plan's issues together; starting it turns them into work items.</p>
      {list.status === 'loading' && <p className="page-status">Loading the plans…</p>}
      {list.status === 'error' && (
        <ErrorNotice what="Loading the plans" error={list.error} onRetry={list.reload} />
      )}
      {list.status === 'ready' &&
        (list.data.drafts.length === 0 ? (
          <p className="empty">No plans yet.</p>
        ) : (
          <ul className="cards">
            {list.data.drafts.map((d) => (
              <li key={d.id} className="card">
                <Link className="card-title" to={`/plans/${d.id}`}>
                  {d.title}
                </Link>
                <span className="card-meta">
                  {d.repo} · {d.status} · last changed by {d.updatedBy}
                </span>
              </li>
            ))}
          </ul>
        ))}
      <NewPlanForm />
    </section>
  );
}

function NewPlanForm() {
  const { session } = useSession();
  const navigate = useNavigate();
  // Repositories this person may draft in; a `*` grant lets them name any.
  const repos = session.grants.filter((g) => g.role !== 'viewer' && g.repo !== '*').map((g) => g.repo);
  const [repo, setRepo] = useState(repos[0] ?? '');
  const [title, setTitle] = useState('');
  const [brief, setBrief] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    sendPlan<PlanDraftView>('POST', '/api/plans', session.csrfToken, { repo, title, brief })
      .then((draft) => navigate(`/plans/${draft.id}`))
      .catch((err: unknown) =>
        setFailure(err instanceof ApiFailure ? err : new ApiFailure('/api/plans', 0, String(err))),
      );
  };
  return (
    <form className="plan-form" onSubmit={submit} aria-labelledby="new-plan-title">
      <h2 id="new-plan-title">New plan</h2>
      {failure && <ErrorNotice what="Creating the plan" error={failure} />}
      <label htmlFor="new-plan-repo">Repository (owner/name)</label>
      <input
        id="new-plan-repo"
        required
        pattern="[^/\s]+/[^/\s]+"
        list="new-plan-repos"
        value={repo}
        onChange={(e) => setRepo(e.target.value)}
      />
      <datalist id="new-plan-repos">
        {repos.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <label htmlFor="new-plan-name">Title</label>
      <input
        id="new-plan-name"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor="new-plan-brief">Brief</label>
      <textarea id="new-plan-brief" rows={4} value={brief} onChange={(e) => setBrief(e.target.value)} />
      <div className="actions">
        <button type="submit" className="primary">
          Create plan
        </button>
      </div>
    </form>
  );
}
