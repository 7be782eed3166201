import { useState, type FormEvent } from 'react';
import type { ApiScope, CreatedApiToken } from '../../../../src/shared/console-api';
import { postJson } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { NewTokenNotice } from './NewTokenNotice';

const SCOPES: { scope: ApiScope; label: string }[] = [
  { scope: 'work:read', label: 'Read work items (work:read)' },
  { scope: 'work:write', label: 'Create and cancel work items (work:write)' },
  { scope: 'triggers:manage', label: 'Create, list and delete webhook triggers (triggers:manage)' },
];

/** Makes a work API token; the answer is the only time its secret is shown. */
export function CreateTokenForm({ onCreated }: { onCreated: () => void }) {
  const { session } = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['work:read']);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = (scope: ApiScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (scopes.length === 0) {
      setError('Choose at least one scope: a token without one can do nothing.');
      return;
    }
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      setCreated(
        await postJson<CreatedApiToken>('/api/admin/api-tokens', session.csrfToken, {
          name: name.trim(),
          scopes,
          // The end of the chosen day, in the browser's time zone.
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        }),
      );
      setName('');
      onCreated();
    } catch (err) {
      setError(`The token was not made: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form className="toolbar" onSubmit={submit} aria-label="Create an API token">
        <label>
          Token name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            placeholder="what it is for, e.g. ci"
          />
        </label>
        <fieldset className="token-scopes">
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, label }) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <label>
          Expires (optional)
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      {created && <NewTokenNotice token={created} />}
    </>
  );
}
