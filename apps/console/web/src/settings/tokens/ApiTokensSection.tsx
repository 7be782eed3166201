import { useState } from 'react';
import type { ApiTokenList, ApiTokenSummary } from '../../../../src/shared/console-api';
import { post } from '../../api/client';
import { useResource } from '../../api/useResource';
import { useSession } from '../../session/SessionProvider';
import { ErrorNotice } from '../../shell/ErrorNotice';
import { CreateTokenForm } from './CreateTokenForm';

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);

function status(token: ApiTokenSummary): string {
  if (token.revokedAt) return `revoked ${when(token.revokedAt, '')}`;
  if (token.expiresAt && new Date(token.expiresAt) <= new Date()) return 'expired';
  return 'active';
}

/** Work API tokens (kept by ingress): listed, created once-shown, revoked. Admins of every repository. */
export function ApiTokensSection() {
  const { session } = useSession();
  const tokens = useResource<ApiTokenList>('/api/admin/api-tokens');
  const [error, setError] = useState<string | null>(null);

  const revoke = async (token: ApiTokenSummary) => {
    setError(null);
    try {
      await post(`/api/admin/api-tokens/${token.id}/revoke`, session.csrfToken);
      tokens.reload();
    } catch (err) {
      setError(`Revoking ${token.name} failed: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p>
        Tokens for the work API (<code>/api/v1</code>) and the CLI; each acts in every repository.
      </p>
      <CreateTokenForm onCreated={tokens.reload} />
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      {tokens.status === 'loading' && <p className="page-status">Loading tokens…</p>}
      {tokens.status === 'error' && (
        <ErrorNotice what="Reading API tokens" error={tokens.error} onRetry={tokens.reload} />
      )}
      {tokens.status === 'ready' && tokens.data.tokens.length === 0 && (
        <p>No tokens yet. Create one above for a script or CI job that files work.</p>
      )}
      {tokens.status === 'ready' && tokens.data.tokens.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{when(t.createdAt, '')}</td>
                  <td>{when(t.lastUsedAt, 'never')}</td>
                  <td>{status(t)}</td>
                  <td>
                    {!t.revokedAt && (
                      <button type="button" onClick={() => revoke(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    )}
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
