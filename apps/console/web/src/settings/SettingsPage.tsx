import { useState } from 'react';
import type { AuditEntryView, PersonView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { useSession } from '../session/SessionProvider';
import { ErrorNotice } from '../shell/ErrorNotice';
import { AuditTrail } from './AuditTrail';
import { InviteForm } from './InviteForm';
import { PeopleTable } from './PeopleTable';
import { IdentityLinksSection } from './identities/IdentityLinksSection';
import { IntegrationsSection } from './integrations/IntegrationsSection';
import { RepositoriesSection } from './repositories/RepositoriesSection';
import { ApiTokensSection } from './tokens/ApiTokensSection';
import { AutoGrantsSection } from './auto-grants/AutoGrantsSection';

/** Who may do what (admins): the people, their roles per repository, invitations, the audit trail. */
export function SettingsPage() {
  const { session } = useSession();
  const people = useResource<PersonView[]>('/api/admin/people');
  const audit = useResource<{ entries: AuditEntryView[] }>('/api/admin/audit');
  const [changed, setChanged] = useState(0);
  const refresh = () => {
    people.reload();
    audit.reload();
    setChanged((n) => n + 1);
  };
  const isAdmin = session.grants.some((g) => g.role === 'admin');
  // What acts across every repository (tokens) is for admins of every repository only.
  const isAdminEverywhere = session.grants.some((g) => g.repo === '*' && g.role === 'admin');

  return (
    <section className="page settings-page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {!isAdmin ? (
        <p>Only admins manage people and roles. Ask an admin of your repository for what you need.</p>
      ) : (
        <>
          <InviteForm onInvited={refresh} />
          <section aria-labelledby="people-title">
            <h2 id="people-title">People</h2>
            {people.status === 'loading' && <p className="page-status">Loading people…</p>}
            {people.status === 'error' && (
              <ErrorNotice what="Reading people" error={people.error} onRetry={people.reload} />
            )}
            {people.status === 'ready' && (
              <PeopleTable key={changed} people={people.data} onChanged={refresh} />
            )}
          </section>
          <RepositoriesSection />
          <IntegrationsSection />
          {isAdminEverywhere ? (
            <>
              <ApiTokensSection />
              <IdentityLinksSection onChanged={audit.reload} />
              <AutoGrantsSection onChanged={audit.reload} />
            </>
          ) : (
            <p>
              API tokens, identity links and automatic roles span every repository: an admin of every
              repository (*) manages them.
            </p>
          )}
          <section aria-labelledby="audit-title">
            <h2 id="audit-title">Audit trail</h2>
            {audit.status === 'error' && (
              <ErrorNotice what="Reading the audit trail" error={audit.error} onRetry={audit.reload} />
            )}
            {audit.status === 'ready' && <AuditTrail entries={audit.data.entries} />}
          </section>
        </>
      )}
    </section>
  );
}
