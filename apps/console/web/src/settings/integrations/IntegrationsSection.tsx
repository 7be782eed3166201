import type { IntegrationCheck, IntegrationsView } from '../../../../src/shared/console-api';
import { useResource } from '../../api/useResource';
import { ErrorNotice } from '../../shell/ErrorNotice';

const NAMES: Record<IntegrationCheck['integration'], string> = {
  github: 'GitHub',
  linear: 'Linear',
  slack: 'Slack',
  model: 'Model provider',
  forge: 'Local forge',
};

function state(check: IntegrationCheck): string {
  if (!check.configured) return 'Not configured';
  return check.answering ? 'Answering' : 'Not answering';
}

/** Each integration as the service that owns it checked it just now, with a Refresh. */
export function IntegrationsSection() {
  const status = useResource<IntegrationsView>('/api/admin/integrations');
  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Integrations</h2>
      <p>
        Each is checked by the service that owns its settings; secrets are never shown.{' '}
        <button type="button" onClick={status.reload}>
          Refresh
        </button>
      </p>
      {status.status === 'loading' && <p className="page-status">Checking integrations…</p>}
      {status.status === 'error' && (
        <ErrorNotice what="Checking integrations" error={status.error} onRetry={status.reload} />
      )}
      {status.status === 'ready' && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">
              Checked {new Date(status.data.checkedAt).toLocaleString()}
            </caption>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Status</th>
                <th scope="col">Detail</th>
                <th scope="col">Latency</th>
                <th scope="col">Checked by</th>
              </tr>
            </thead>
            <tbody>
              {status.data.checks.map((c) => (
                <tr key={c.integration}>
                  <th scope="row">{NAMES[c.integration]}</th>
                  <td>{state(c)}</td>
                  <td>
                    {c.detail}
                    {c.configured && (
                      <>
                        {' '}
                        (settings: <code>{c.settings.join(', ')}</code>)
                      </>
                    )}
                  </td>
                  <td>{c.latencyMs === null ? '—' : `${c.latencyMs} ms`}</td>
                  <td>
                    {c.service}, {new Date(c.checkedAt).toLocaleTimeString()}
                  </td>
                </tr>
              ))}
              {status.data.unreported.map((u) => (
                <tr key={u.integration}>
                  <th scope="row">{NAMES[u.integration]}</th>
                  <td>Unknown</td>
                  <td>{u.detail}</td>
                  <td>—</td>
                  <td>{u.service}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
