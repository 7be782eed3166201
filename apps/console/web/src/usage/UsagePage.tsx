import { useSearchParams } from 'react-router';
import type { UsageView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { ErrorNotice } from '../shell/ErrorNotice';
import { cost, tokens } from './format';

const groupings = {
  repo: 'Repository',
  person: 'Person',
  plan: 'Plan',
  fleet: 'Fleet',
  day: 'Day',
} as const;
/** What a row of no plan, fleet or owner is called. */
const none: Record<Grouping, string> = {
  repo: '—',
  person: 'nobody',
  plan: 'not in a plan',
  fleet: 'not in a fleet',
  day: '—',
};
type Grouping = keyof typeof groupings;

/**
 * Model tokens and cost as the egress proxies counted them from the providers' own answers, by
 * repository, person, plan, fleet or day over the last 30 days, in the repositories the person may
 * see.
 */
export function UsagePage() {
  const [params, setParams] = useSearchParams();
  const by: Grouping = (params.get('by') as Grouping) in groupings ? (params.get('by') as Grouping) : 'repo';
  const usage = useResource<UsageView>(`/api/usage?by=${by}&days=30`);

  return (
    <section className="page" aria-labelledby="usage-title">
      <h1 id="usage-title">Usage</h1>
      <p className="muted">
        Model tokens and cost of the last 30 days, as counted from the providers' answers.
      </p>
      <nav aria-label="Group by" className="segmented">
        {(Object.keys(groupings) as Grouping[]).map((key) => (
          <button key={key} type="button" aria-pressed={key === by} onClick={() => setParams({ by: key })}>
            By {groupings[key].toLowerCase()}
          </button>
        ))}
      </nav>
      {usage.status === 'loading' && <p className="page-status">Loading usage…</p>}
      {usage.status === 'error' && (
        <ErrorNotice what="Loading usage" error={usage.error} onRetry={usage.reload} />
      )}
      {usage.status === 'ready' &&
        (usage.data.rows.length === 0 ? (
          <p>No model usage in the last 30 days.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{groupings[by]}</th>
                <th scope="col">Runs</th>
                <th scope="col">Requests</th>
                <th scope="col">Input</th>
                <th scope="col">Output</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.rows.map((row) => (
                <tr key={row.key ?? '(none)'}>
                  <th scope="row">{row.name ?? row.label ?? row.key ?? none[by]}</th>
                  <td>{row.runs}</td>
                  <td>{row.requests}</td>
                  <td>{tokens(row.inputTokens)}</td>
                  <td>{tokens(row.outputTokens)}</td>
                  <td>{cost(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
