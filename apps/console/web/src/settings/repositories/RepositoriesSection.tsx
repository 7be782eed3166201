import type { RepositoriesView } from '../../../../src/shared/console-api';
import { useResource } from '../../api/useResource';
import { ErrorNotice } from '../../shell/ErrorNotice';

type Grant = RepositoriesView['everywhere'][number];

const roles = (grants: Grant[]) => grants.map((g) => `${g.name} (${g.role})`).join(', ');

/** The repositories this admin administers: how much work is in each, and who has which role. */
export function RepositoriesSection() {
  const list = useResource<RepositoriesView>('/api/admin/repositories');
  return (
    <section aria-labelledby="repositories-title">
      <h2 id="repositories-title">Repositories</h2>
      {list.status === 'loading' && <p className="page-status">Loading repositories…</p>}
      {list.status === 'error' && (
        <ErrorNotice what="Reading repositories" error={list.error} onRetry={list.reload} />
      )}
      {list.status === 'ready' && (
        <>
          {list.data.everywhere.length > 0 && <p>In every repository: {roles(list.data.everywhere)}.</p>}
          {list.data.repositories.length === 0 ? (
            <p>No repositories yet. One appears when work is filed in it or someone is invited to it.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Repository</th>
                    <th scope="col">Work items</th>
                    <th scope="col">Roles here</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.repositories.map((r) => (
                    <tr key={r.repo}>
                      <th scope="row">{r.repo}</th>
                      <td>
                        {r.workItems}
                        {r.latestAt && (
                          <span className="muted"> (latest {new Date(r.latestAt).toLocaleDateString()})</span>
                        )}
                      </td>
                      <td>{r.grants.length > 0 ? roles(r.grants) : 'only the roles for every repository'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
