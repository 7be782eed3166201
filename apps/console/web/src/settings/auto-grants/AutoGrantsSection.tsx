import { useState, type FormEvent } from 'react';
import type { AutoGrantView, Role } from '../../../../src/shared/console-api';
import { post, postJson } from '../../api/client';
import { useResource } from '../../api/useResource';
import { useSession } from '../../session/SessionProvider';
import { ErrorNotice } from '../../shell/ErrorNotice';

const ROLES: Role[] = ['viewer', 'member', 'admin'];

/**
 * Roles for first sign-ins by verified email domain (admins of every repository). Without a
 * rule a newcomer gets no role and waits for an admin; a rule only ever applies to someone
 * signing in for the first time, through a provider that verified their email. `onChanged`:
 * after a rule is added or removed, so what shows its audit entry can refresh.
 */
export function AutoGrantsSection({ onChanged }: { onChanged?: () => void }) {
  const { session } = useSession();
  const rules = useResource<AutoGrantView[]>('/api/admin/auto-grants');
  const [domain, setDomain] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [repo, setRepo] = useState('*');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      rules.reload();
      onChanged?.();
      return true;
    } catch (err) {
      setError(`${what} failed: ${(err as Error).message}`);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const body = { domain: domain.trim(), role, repo: repo.trim() || '*' };
    if (await act(`Adding ${body.domain}`, () => postJson('/api/admin/auto-grants', session.csrfToken, body)))
      setDomain('');
  };

  return (
    <section aria-labelledby="auto-grants-title">
      <h2 id="auto-grants-title">Automatic roles</h2>
      <p>
        A person who signs in for the first time with a provider-verified email at one of these domains gets
        its role. Without a rule, newcomers get no role until an admin grants one.
      </p>
      <form className="toolbar" onSubmit={add} aria-label="Add an automatic role">
        <label>
          Email domain
          <input value={domain} onChange={(e) => setDomain(e.target.value)} required placeholder="acme.com" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Repository
          <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="* or owner/name" />
        </label>
        <button type="submit" disabled={busy}>
          Add rule
        </button>
      </form>
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      {rules.status === 'error' && (
        <ErrorNotice what="Reading automatic roles" error={rules.error} onRetry={rules.reload} />
      )}
      {rules.status === 'ready' && rules.data.length === 0 && <p>No rules: newcomers get no role.</p>}
      {rules.status === 'ready' && rules.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Role</th>
                <th scope="col">Repository</th>
                <th scope="col">Added by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.domain}</th>
                  <td>{r.role}</td>
                  <td>{r.repo}</td>
                  <td>{r.createdBy}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Remove the rule for ${r.domain} in ${r.repo}`}
                      onClick={() =>
                        act(`Removing ${r.domain}`, () =>
                          post(`/api/admin/auto-grants/${r.id}/delete`, session.csrfToken),
                        )
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
