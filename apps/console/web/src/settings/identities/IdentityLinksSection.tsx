import type { IdentityList } from '../../../../src/shared/console-api';
import { useResource } from '../../api/useResource';
import { ErrorNotice } from '../../shell/ErrorNotice';
import { UnlinkButton } from './UnlinkButton';

const PROVIDERS: Record<string, string> = {
  github: 'GitHub',
  linear: 'Linear',
  slack: 'Slack',
  local: 'Local forge',
};

/** Who is who across GitHub, Linear, Slack and the local forge, as identity-broker links them; each link can be removed. */
/** `onChanged`: after an unlink, so what shows its audit entry can refresh. */
export function IdentityLinksSection({ onChanged }: { onChanged?: () => void }) {
  const list = useResource<IdentityList>('/api/admin/identities');
  return (
    <section aria-labelledby="identities-title">
      <h2 id="identities-title">Identity links</h2>
      {list.status === 'loading' && <p className="page-status">Loading identities…</p>}
      {list.status === 'error' && (
        <ErrorNotice what="Reading identity links" error={list.error} onRetry={list.reload} />
      )}
      {list.status === 'ready' && list.data.identities.length === 0 && (
        <p>
          No linked accounts yet. People link theirs by signing in with a provider, or an admin links one with{' '}
          <code>npm run -s horizon -- identity link</code>.
        </p>
      )}
      {list.status === 'ready' && list.data.identities.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Identity</th>
                <th scope="col">Linked accounts</th>
              </tr>
            </thead>
            <tbody>
              {list.data.identities.map((identity) => (
                <tr key={identity.id}>
                  <th scope="row">{identity.displayName}</th>
                  <td>
                    <ul className="plain-list">
                      {identity.links.map((l) => {
                        const label = `${PROVIDERS[l.provider] ?? l.provider}: ${l.login ?? l.externalId}`;
                        return (
                          <li key={`${l.provider}:${l.externalId}`}>
                            {label}
                            {l.login && <span className="muted"> ({l.externalId})</span>}{' '}
                            <UnlinkButton
                              identity={identity}
                              link={l}
                              label={label}
                              onUnlinked={() => {
                                list.reload();
                                onChanged?.();
                              }}
                            />
                          </li>
                        );
                      })}
                      {identity.links.length === 0 && <li className="muted">none left</li>}
                    </ul>
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
