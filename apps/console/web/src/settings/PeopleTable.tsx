import { useState } from 'react';
import type { PersonView } from '../../../src/shared/console-api';
import { post } from '../api/client';
import { useSession } from '../session/SessionProvider';

const ROLES = ['viewer', 'member', 'admin'] as const;

/** Everyone's roles per repository, each changeable or removable, and signing someone out. */
export function PeopleTable({ people, onChanged }: { people: PersonView[]; onChanged: () => void }) {
  const { session } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (what: string, path: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await post(path, session.csrfToken, body);
      onChanged();
    } catch (err) {
      setError(`${what} failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Roles</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>
                  <ul className="grants">
                    {p.grants.map((g) => (
                      <li key={g.repo}>
                        <label>
                          <span className="grant-repo">{g.repo === '*' ? 'every repository' : g.repo}</span>{' '}
                          <select
                            aria-label={`${p.name}'s role in ${g.repo === '*' ? 'every repository' : g.repo}`}
                            value={g.role}
                            disabled={busy}
                            onChange={(e) =>
                              void act('Changing the role', `/api/admin/people/${p.id}/grants`, {
                                repo: g.repo,
                                role: e.target.value,
                              })
                            }
                          >
                            {ROLES.map((r) => (
                              <option key={r}>{r}</option>
                            ))}
                          </select>
                        </label>{' '}
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={`Remove ${p.name}'s role in ${g.repo === '*' ? 'every repository' : g.repo}`}
                          onClick={() =>
                            void act('Removing the role', `/api/admin/people/${p.id}/grants`, {
                              repo: g.repo,
                              role: null,
                            })
                          }
                        >
                          Remove
                        </button>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{p.lastSignInAt ? new Date(p.lastSignInAt).toLocaleString() : 'never'}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy || p.activeSessions === 0}
                    onClick={() => void act('Signing out', `/api/admin/people/${p.id}/sign-out`)}
                  >
                    Sign out{p.activeSessions ? ` (${p.activeSessions})` : ''}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
