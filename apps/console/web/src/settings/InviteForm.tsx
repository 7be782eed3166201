import { useState, type FormEvent } from 'react';
import { postJson } from '../api/client';
import { useSession } from '../session/SessionProvider';

const ROLES = ['viewer', 'member', 'admin'] as const;

/** Invites someone: a one-time sign-in link granting a role, to copy and send them. */
export function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { session } = useSession();
  const [person, setPerson] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('member');
  const [repo, setRepo] = useState('*');
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setLink(null);
    try {
      setLink(
        await postJson<{ url: string; expiresAt: string }>('/api/admin/sign-in-links', session.csrfToken, {
          person: person.trim(),
          role,
          repo: repo.trim(),
        }),
      );
      onInvited();
    } catch (err) {
      setError(`The invitation was not made: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form className="toolbar" onSubmit={submit}>
        <label>
          Name
          <input value={person} onChange={(e) => setPerson(e.target.value)} required maxLength={100} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Repository
          <input
            value={repo}
            onChange={(e) => setRepo(e.target.value)}
            placeholder="owner/name or *"
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Inviting…' : 'Make a sign-in link'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      {link && (
        <p role="status">
          Send this link; it works once, until {new Date(link.expiresAt).toLocaleString()}:{' '}
          <code className="invite-link">{link.url}</code>
        </p>
      )}
    </section>
  );
}
