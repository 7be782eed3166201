import { Link } from 'react-router';
import type { FleetListView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { ErrorNotice } from '../shell/ErrorNotice';
import { FleetProgress, repositories } from './FleetProgress';
import { NewFleetForm } from './NewFleetForm';

/** `/fleets`: the fleets with a repository this person may see, newest first, and a form to start one. */
export function FleetsPage() {
  const list = useResource<FleetListView>('/api/fleets');
  return (
    <section className="page fleets-page" aria-labelledby="fleets-title">
      <h1 id="fleets-title">Fleets</h1>
      <p className="muted">One change across many repositories: a run and a pull request in each.</p>
      {list.status === 'loading' && <p className="page-status">Loading the fleets…</p>}
      {list.status === 'error' && (
        <ErrorNotice what="Loading the fleets" error={list.error} onRetry={list.reload} />
      )}
      {list.status === 'ready' &&
        (list.data.fleets.length === 0 ? (
          <p className="empty">No fleets yet.</p>
        ) : (
          <ul className="cards">
            {list.data.fleets.map((f) => (
              <li key={f.id} className="card">
                <Link className="card-title" to={`/fleets/${f.id}`}>
                  {f.title}
                </Link>
                <span className="card-meta">
                  {f.state} · {repositories(f.progress.total)} · at most {f.cap} at once · by {f.createdBy}
                </span>
                <FleetProgress fleet={f} />
              </li>
            ))}
          </ul>
        ))}
      <NewFleetForm />
    </section>
  );
}
