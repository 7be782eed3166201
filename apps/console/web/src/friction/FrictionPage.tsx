import { Link, useSearchParams } from 'react-router';
import type { FrictionGroup, RepoTrendRow } from '@horizon/contracts';
import type { FrictionView, TrendsView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { FRICTION_LABEL } from '../run/Friction';
import { ErrorNotice } from '../shell/ErrorNotice';
import { RepoTrends } from './RepoTrends';
import { StartRetroButton } from './StartRetroButton';

const SPANS = [7, 30, 90] as const;

/** Each group's latest runs, each a link to its run page at the first line that shows it. */
function Examples({ group }: { group: FrictionGroup }) {
  return (
    <ul className="friction-examples">
      {group.examples.map((x) => (
        <li key={x.runId}>
          <Link to={`/runs/${x.runId}${x.evidence.length ? `#line-${x.evidence[0]! + 1}` : ''}`}>
            {x.title}
          </Link>
          {x.evidence.length > 0 && (
            <span className="muted"> line {x.evidence.map((s) => s + 1).join(', ')}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One repository's papercuts, most runs first, and a retro on them for its members. */
function RepoFriction({
  repo,
  groups,
  days,
  mayRetro,
  trends,
}: {
  repo: string;
  groups: FrictionGroup[];
  days: number;
  mayRetro: boolean;
  trends: RepoTrendRow[];
}) {
  return (
    <section aria-labelledby={`friction-${repo}`} className="friction-repo">
      <header className="friction-repo-header">
        <h2 id={`friction-${repo}`}>{repo}</h2>
        {mayRetro && <StartRetroButton repo={repo} days={days} />}
      </header>
      <table>
        <thead>
          <tr>
            <th scope="col">Papercut</th>
            <th scope="col">Runs</th>
            <th scope="col">Times</th>
            <th scope="col">Last seen</th>
            <th scope="col">Latest runs</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.signature}>
              <th scope="row">
                <span className="badge state-failed">{FRICTION_LABEL[g.kind]}</span> {g.summary}
                <br />
                <code className="muted">{g.signature}</code>
              </th>
              <td>{g.runs}</td>
              <td>{g.occurrences}</td>
              <td>{new Date(g.lastSeenAt).toLocaleDateString()}</td>
              <td>
                <Examples group={g} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RepoTrends repo={repo} rows={trends} />
    </section>
  );
}

/**
 * `/friction`: what got in runs' way, by repository, each papercut once with how many runs met
 * it — the material a retro turns into fixes, which members start from here.
 */
export function FrictionPage() {
  const [params, setParams] = useSearchParams();
  const days = SPANS.find((d) => String(d) === params.get('days')) ?? 30;
  const recurring = params.get('recurring') === '1';
  const friction = useResource<FrictionView>(`/api/friction?days=${days}&minRuns=${recurring ? 2 : 1}`);
  // Weeks for the trend, whatever span the papercuts are shown for; none while it loads or fails.
  const trends = useResource<TrendsView>('/api/trends?days=90');
  const trendsOf = (repo: string) =>
    trends.status === 'ready' ? trends.data.rows.filter((r) => r.repo === repo) : [];
  const set = (change: { days?: number; recurring?: boolean }) =>
    setParams({
      days: String(change.days ?? days),
      ...((change.recurring ?? recurring) ? { recurring: '1' } : {}),
    });

  const byRepo = new Map<string, FrictionGroup[]>();
  if (friction.status === 'ready')
    for (const g of friction.data.groups) byRepo.set(g.repo, [...(byRepo.get(g.repo) ?? []), g]);

  return (
    <section className="page" aria-labelledby="friction-title">
      <h1 id="friction-title">Friction</h1>
      <p className="muted">
        What got in runs’ way — a missing script, a test that passes on retry, a program the sandbox lacks —
        each once, with the runs that met it. A retro turns them into proposed fixes.
      </p>
      <div className="toolbar">
        <nav aria-label="Since" className="segmented">
          {SPANS.map((d) => (
            <button key={d} type="button" aria-pressed={d === days} onClick={() => set({ days: d })}>
              {d} days
            </button>
          ))}
        </nav>
        <label className="inline-check">
          <input type="checkbox" checked={recurring} onChange={(e) => set({ recurring: e.target.checked })} />{' '}
          Only what more than one run met
        </label>
      </div>
      {friction.status === 'loading' && <p className="page-status">Loading friction…</p>}
      {friction.status === 'error' && (
        <ErrorNotice what="Loading friction" error={friction.error} onRetry={friction.reload} />
      )}
      {friction.status === 'ready' &&
        (byRepo.size === 0 ? (
          <p className="empty">Nothing got in the runs’ way in the last {days} days.</p>
        ) : (
          [...byRepo].map(([repo, groups]) => (
            <RepoFriction
              key={repo}
              repo={repo}
              groups={groups}
              days={days}
              mayRetro={friction.data.retroRepos.includes(repo)}
              trends={trendsOf(repo)}
            />
          ))
        ))}
    </section>
  );
}
